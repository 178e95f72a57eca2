import { int32 } from '@karte/domain';
import { z } from 'zod';
import { actorOf } from '../services/audit';
import { patientBundles } from '../services/sharing/bundles';
import { changeConsent, listSubmissions, patientSubmissions, resend } from '../services/sharing/status';
import { clinicalRoles, patientData, router, writerRoles } from '../trpc';

/** 電子カルテ情報共有サービス: what Karte sends (JP-CLINS Bundles), its delivery status, consent and 再送. */
export const sharingRouter = router({
  patientBundles: patientData(clinicalRoles, 'read')
    .input(z.strictObject({ patientId: z.uuid() }))
    .query(({ ctx, input, path }) => patientBundles(ctx.karte.db, actorOf(ctx.auth, path), input.patientId)),

  patientSubmissions: patientData(clinicalRoles, 'read')
    .input(z.strictObject({ patientId: z.uuid() }))
    .query(({ ctx, input, path }) =>
      patientSubmissions(ctx.karte.db, actorOf(ctx.auth, path), input.patientId),
    ),

  submissions: patientData(clinicalRoles, 'read')
    .input(
      z.strictObject({
        status: z.enum(['pending', 'sent', 'error', 'failed', 'cancelled']).optional(),
        kind: z.enum(['conditions', 'allergies', 'labs', 'referral', 'discharge', 'checkup']).optional(),
        limit: int32().min(1).max(500),
      }),
    )
    .query(({ ctx, input, path }) => listSubmissions(ctx.karte.db, actorOf(ctx.auth, path), input)),

  resend: patientData(clinicalRoles, 'update')
    .input(z.strictObject({ id: z.uuid() }))
    .mutation(({ ctx, input, path }) => resend(ctx.karte.db, actorOf(ctx.auth, path), input.id)),

  setConsent: patientData(writerRoles, 'update')
    .input(z.strictObject({ patientId: z.uuid(), withdrawn: z.boolean() }))
    .mutation(({ ctx, input, path }) =>
      changeConsent(ctx.karte.db, actorOf(ctx.auth, path), input.patientId, input.withdrawn),
    ),
});
