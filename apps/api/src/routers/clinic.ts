import { clinicSettingsInput } from '@karte/domain';
import { actorOf } from '../services/audit';
import { clinicSettings, facilityDepartments, saveClinicSettings } from '../services/clinic/settings';
import { authed, router } from '../trpc';

/** クリニック設定: the facility's name, address, phone, 医療機関コード and departments (issue #14). */
export const clinicRouter = router({
  settings: authed(['admin']).query(({ ctx }) => clinicSettings(ctx.karte.db, ctx.auth.facility.id)),

  save: authed(['admin'])
    .input(clinicSettingsInput)
    .mutation(({ ctx, input, path }) =>
      saveClinicSettings(ctx.karte.db, ctx.sessions, actorOf(ctx.auth, path), input),
    ),

  /** The clinic's 診療科 (reception, the board): every signed-in role. */
  departments: authed('authenticated').query(({ ctx }) =>
    facilityDepartments(ctx.karte.db, ctx.auth.facility.id),
  ),
});
