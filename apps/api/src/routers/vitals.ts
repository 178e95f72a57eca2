import { int32, intakeFields, isoDate, vitalCorrectionFields, vitalFields } from '@karte/domain';
import { z } from 'zod';
import { actorOf } from '../services/audit';
import {
  correctVitals,
  draftSources,
  getIntake,
  listVitals,
  recordVitals,
  saveIntake,
} from '../services/vitals/vitals';
import { clinicalRoles, patientData, router, writerRoles } from '../trpc';

/**
 * バイタル・問診 (issue #15). Nurses, clerks (at check-in) and doctors enter vitals and fill the 問診; everyone
 * who reads the chart reads them.
 */
export const vitalsRouter = router({
  record: patientData(writerRoles, 'create')
    .input(z.strictObject({ patientId: z.uuid(), visitId: z.uuid().nullable(), values: vitalFields }))
    .mutation(({ ctx, input, path }) => recordVitals(ctx.karte.db, actorOf(ctx.auth, path), input)),

  /** 修正: a new row in the measurement's place, with the reason. */
  correct: patientData(writerRoles, 'update')
    .input(z.strictObject({ vitalId: z.uuid(), correction: vitalCorrectionFields }))
    .mutation(({ ctx, input, path }) =>
      correctVitals(ctx.karte.db, actorOf(ctx.auth, path), {
        vitalId: input.vitalId,
        ...input.correction,
      }),
    ),

  /** The measurements for the list and trends (from a date, Japan), with today's merged line. */
  list: patientData(clinicalRoles, 'read')
    .input(z.strictObject({ patientId: z.uuid(), from: isoDate.optional() }))
    .query(({ ctx, input, path }) => listVitals(ctx.karte.db, actorOf(ctx.auth, path), input)),

  /** 問診 of a visit (its newest version). */
  intake: patientData(clinicalRoles, 'read')
    .input(z.strictObject({ visitId: z.uuid() }))
    .query(({ ctx, input, path }) => getIntake(ctx.karte.db, actorOf(ctx.auth, path), input.visitId)),

  /** 問診を保存: a new version on top of `baseVersion` (0 for the first); an older base is a CONFLICT. */
  saveIntake: patientData(writerRoles, 'update')
    .input(
      z.strictObject({
        visitId: z.uuid(),
        baseVersion: int32().min(0),
        fields: intakeFields,
      }),
    )
    .mutation(({ ctx, input, path }) => saveIntake(ctx.karte.db, actorOf(ctx.auth, path), input)),

  /** What an encounter's note can take in: the 問診 text and that day's vitals line. */
  draftSources: patientData(clinicalRoles, 'read')
    .input(z.strictObject({ encounterId: z.uuid() }))
    .query(({ ctx, input, path }) => draftSources(ctx.karte.db, actorOf(ctx.auth, path), input.encounterId)),
});
