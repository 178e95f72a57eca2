import {
  auditSearchInput,
  userCreateInput,
  userResetPasswordInput,
  userSetActiveInput,
  userUpdateInput,
} from '@karte/domain';
import { searchAuditLog, verifyFacilityChain } from '../services/admin/audit';
import { createUser, facilityUsers, resetPassword, setActive, updateUser } from '../services/admin/users';
import { actorOf } from '../services/audit';
import { authed, patientData, router } from '../trpc';

const admin = ['admin'] as const;

export const adminRouter = router({
  listUsers: authed(admin).query(({ ctx, path }) => facilityUsers(ctx.karte.db, actorOf(ctx.auth, path))),

  createUser: authed(admin)
    .input(userCreateInput)
    .mutation(({ ctx, input, path }) => createUser(ctx.karte.db, actorOf(ctx.auth, path), input)),

  setUserActive: authed(admin)
    .input(userSetActiveInput)
    .mutation(({ ctx, input, path }) =>
      setActive(ctx.karte.db, ctx.sessions, actorOf(ctx.auth, path), input.id, input.active),
    ),

  updateUser: authed(admin)
    .input(userUpdateInput)
    .mutation(({ ctx, input, path }) =>
      updateUser(ctx.karte.db, ctx.sessions, actorOf(ctx.auth, path), input),
    ),

  resetPassword: authed(admin)
    .input(userResetPasswordInput)
    .mutation(({ ctx, input, path }) =>
      resetPassword(ctx.karte.db, ctx.sessions, actorOf(ctx.auth, path), input),
    ),

  searchAudit: patientData(admin, 'audit-search')
    .input(auditSearchInput)
    .query(({ ctx, input, path }) => searchAuditLog(ctx.karte.db, actorOf(ctx.auth, path), input)),

  verifyAudit: patientData(admin, 'audit-verify').mutation(({ ctx, path }) =>
    verifyFacilityChain(ctx.karte.db, actorOf(ctx.auth, path)),
  ),
});
