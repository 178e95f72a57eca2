import { searchLabCodes } from '@karte/db';
import {
  checkOverride,
  int32,
  isoDate,
  labCorrectionFields,
  labResultFields,
  line,
  multiline,
  prescriptionFields,
  rp,
} from '@karte/domain';
import { z } from 'zod';
import { actorOf } from '../services/audit';
import {
  addLabResults,
  correctLabResult,
  importLabFile,
  labCumulative,
  labItemTrend,
  previewLabImport,
} from '../services/orders/labs';
import {
  checkDraft,
  confirmPrescription,
  lastPrescription,
  prescriptionSheet,
  savePrescriptionDraft,
} from '../services/orders/prescriptions';
import { authed, clinicalRoles, patientData, router, safetyRoles, writerRoles } from '../trpc';

const clinical = clinicalRoles;
const writers = writerRoles;

const labFile = z.strictObject({
  fileName: line().trim().min(1).max(200),
  // base64 of at most 5 MB (checked again after decoding)
  base64: line(7_000_000)
    .min(1, 'ファイルを選択してください')
    .max(7_000_000, 'ファイルが大きすぎます（5MBまで）'),
});

export const ordersRouter = router({
  /** Checks as the doctor types (nothing saved). */
  check: patientData(writers, 'read')
    .input(
      z.strictObject({
        patientId: z.uuid(),
        entryId: z.uuid().nullable(),
        rps: z.array(rp).max(30),
      }),
    )
    .query(({ ctx, input, path }) =>
      checkDraft(ctx.karte.db, actorOf(ctx.auth, path), {
        patientId: input.patientId,
        entryId: input.entryId,
        content: { rps: input.rps },
      }),
    ),

  saveDraft: patientData(writers, 'update')
    .input(
      z.strictObject({
        encounterId: z.uuid(),
        entryId: z.uuid().nullable(),
        baseRev: int32().min(0),
        content: prescriptionFields,
        doctorId: z.uuid().nullable(),
      }),
    )
    .mutation(({ ctx, input, path }) =>
      savePrescriptionDraft(ctx.karte.db, actorOf(ctx.auth, path), ctx.auth.user.role, input),
    ),

  confirm: patientData(writers, 'update')
    .input(
      z.strictObject({
        entryId: z.uuid(),
        baseRev: int32().min(0),
        reason: multiline().max(500, '理由は500文字以内です'),
        overrides: z.array(checkOverride).max(100),
      }),
    )
    .mutation(({ ctx, input, path }) => confirmPrescription(ctx.karte.db, actorOf(ctx.auth, path), input)),

  /** Do 処方: the last confirmed prescription. */
  lastPrescription: patientData(clinical, 'read')
    .input(z.strictObject({ patientId: z.uuid() }))
    .query(({ ctx, input, path }) =>
      lastPrescription(ctx.karte.db, actorOf(ctx.auth, path), input.patientId),
    ),

  /** 処方箋 print view. */
  sheet: patientData(clinical, 'read')
    .input(z.strictObject({ entryId: z.uuid() }))
    .query(({ ctx, input, path }) => prescriptionSheet(ctx.karte.db, actorOf(ctx.auth, path), input.entryId)),

  /** The JLAC10 lists of JP-CLINS (no patient data). */
  searchLabCodes: authed(clinical)
    .input(
      z.strictObject({
        query: line().trim().max(50),
        limit: int32().min(1).max(50).default(20),
      }),
    )
    .query(({ ctx, input }) => searchLabCodes(ctx.karte.db, input.query, input.limit)),

  addLabResults: patientData(safetyRoles, 'create')
    .input(z.strictObject({ patientId: z.uuid(), results: z.array(labResultFields).min(1).max(200) }))
    .mutation(({ ctx, input, path }) =>
      addLabResults(ctx.karte.db, actorOf(ctx.auth, path), input.patientId, input.results),
    ),

  correctLabResult: patientData(safetyRoles, 'update')
    .input(z.strictObject({ resultId: z.uuid(), correction: labCorrectionFields }))
    .mutation(({ ctx, input, path }) =>
      correctLabResult(ctx.karte.db, actorOf(ctx.auth, path), input.resultId, input.correction),
    ),

  previewLabImport: patientData(writers, 'read')
    .input(labFile)
    .mutation(({ ctx, input, path }) => previewLabImport(ctx.karte.db, actorOf(ctx.auth, path), input)),

  // Filing a lab file changes infection status (clinical safety data): doctors and nurses only.
  importLabs: patientData(safetyRoles, 'create')
    .input(labFile)
    .mutation(({ ctx, input, path }) => importLabFile(ctx.karte.db, actorOf(ctx.auth, path), input)),

  labTable: patientData(clinical, 'read')
    .input(
      z.strictObject({
        patientId: z.uuid(),
        dates: int32().min(1).max(50).default(10),
        before: isoDate.optional(),
      }),
    )
    .query(({ ctx, input, path }) => labCumulative(ctx.karte.db, actorOf(ctx.auth, path), input)),

  labTrend: patientData(clinical, 'read')
    .input(z.strictObject({ patientId: z.uuid(), code: line().trim().min(1).max(20) }))
    .query(({ ctx, input, path }) => labItemTrend(ctx.karte.db, actorOf(ctx.auth, path), input)),
});
