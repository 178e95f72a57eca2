import { z } from 'zod';
import { actorOf } from '../services/audit';
import {
  approveEntries,
  chartOf,
  confirmEntry,
  openEncounter,
  pendingApprovals,
  saveEntryDraft,
  startCorrection,
} from '../services/chart/entries';
import { patientData, router } from '../trpc';

const clinical = ['doctor', 'nurse', 'admin', 'clerk'] as const;
/** Writing: doctors, and nurses/clerks as 代行入力 for a named doctor. */
const writers = ['doctor', 'nurse', 'clerk'] as const;

const soap = z.strictObject({
  s: z.string().max(20_000, '記載が長すぎます'),
  o: z.string().max(20_000, '記載が長すぎます'),
  a: z.string().max(20_000, '記載が長すぎます'),
  p: z.string().max(20_000, '記載が長すぎます'),
});

export const chartRouter = router({
  chart: patientData(clinical, 'read')
    .input(z.strictObject({ patientId: z.uuid() }))
    .query(({ ctx, input, path }) => chartOf(ctx.karte.db, actorOf(ctx.auth, path), input.patientId)),

  openEncounter: patientData(writers, 'create')
    .input(z.strictObject({ patientId: z.uuid(), visitId: z.uuid().nullable() }))
    .mutation(({ ctx, input, path }) =>
      openEncounter(ctx.karte.db, actorOf(ctx.auth, path), ctx.auth.user.role, input),
    ),

  saveDraft: patientData(writers, 'update')
    .input(
      z.strictObject({
        encounterId: z.uuid(),
        entryId: z.uuid().nullable(),
        baseRev: z.number().int().min(0),
        content: soap,
        doctorId: z.uuid().nullable(),
      }),
    )
    .mutation(({ ctx, input, path }) =>
      saveEntryDraft(ctx.karte.db, actorOf(ctx.auth, path), ctx.auth.user.role, input),
    ),

  startCorrection: patientData(writers, 'update')
    .input(z.strictObject({ entryId: z.uuid() }))
    .mutation(({ ctx, input, path }) =>
      startCorrection(ctx.karte.db, actorOf(ctx.auth, path), input.entryId),
    ),

  confirm: patientData(writers, 'update')
    .input(
      z.strictObject({
        entryId: z.uuid(),
        baseRev: z.number().int().min(0),
        reason: z.string().max(500, '理由は500文字以内です'),
      }),
    )
    .mutation(({ ctx, input, path }) => confirmEntry(ctx.karte.db, actorOf(ctx.auth, path), input)),

  pendingApprovals: patientData(['doctor'], 'read').query(({ ctx, path }) =>
    pendingApprovals(ctx.karte.db, actorOf(ctx.auth, path)),
  ),

  approve: patientData(['doctor'], 'update')
    .input(
      z.strictObject({
        items: z
          .array(z.strictObject({ entryId: z.uuid(), version: z.number().int().positive() }))
          .min(1)
          .max(200),
      }),
    )
    .mutation(({ ctx, input, path }) => approveEntries(ctx.karte.db, actorOf(ctx.auth, path), input.items)),
});
