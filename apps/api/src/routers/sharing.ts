import { z } from 'zod';
import { actorOf } from '../services/audit';
import { patientBundles } from '../services/sharing/bundles';
import { clinicalRoles, patientData, router } from '../trpc';

/** 電子カルテ情報共有サービス: what Karte sends (JP-CLINS Bundles), viewable and downloadable. */
export const sharingRouter = router({
  patientBundles: patientData(clinicalRoles, 'read')
    .input(z.strictObject({ patientId: z.uuid() }))
    .query(({ ctx, input, path }) => patientBundles(ctx.karte.db, actorOf(ctx.auth, path), input.patientId)),
});
