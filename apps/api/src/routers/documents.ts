import { documentContent, documentTypes, int32, multiline } from '@karte/domain';
import { z } from 'zod';
import { actorOf } from '../services/audit';
import { saveEntryDraft } from '../services/chart/entries';
import {
  createDocument,
  documentView,
  finaliseDocument,
  patientDocuments,
} from '../services/documents/documents';
import { clinicalRoles, patientData, router, writerRoles } from '../trpc';

/** 3文書: 診療情報提供書, 退院時サマリー, 健康診断結果報告書 — drafts, 確定 (versioned), print and Bundle. */
export const documentsRouter = router({
  list: patientData(clinicalRoles, 'read')
    .input(z.strictObject({ patientId: z.uuid() }))
    .query(({ ctx, input, path }) =>
      patientDocuments(ctx.karte.db, actorOf(ctx.auth, path), input.patientId),
    ),

  get: patientData(clinicalRoles, 'read')
    .input(z.strictObject({ entryId: z.uuid() }))
    .query(({ ctx, input, path }) => documentView(ctx.karte.db, actorOf(ctx.auth, path), input.entryId)),

  create: patientData(writerRoles, 'create')
    .input(
      z.strictObject({
        encounterId: z.uuid(),
        type: z.enum(documentTypes),
        doctorId: z.uuid().nullable(),
      }),
    )
    .mutation(({ ctx, input, path }) =>
      createDocument(ctx.karte.db, actorOf(ctx.auth, path), ctx.auth.user.role, input),
    ),

  saveDraft: patientData(writerRoles, 'update')
    .input(
      z.strictObject({
        encounterId: z.uuid(),
        entryId: z.uuid(),
        baseRev: int32().min(0),
        content: documentContent,
      }),
    )
    .mutation(({ ctx, input, path }) =>
      saveEntryDraft(ctx.karte.db, actorOf(ctx.auth, path), ctx.auth.user.role, {
        ...input,
        kind: 'document',
        doctorId: null,
      }),
    ),

  finalise: patientData(writerRoles, 'update')
    .input(
      z.strictObject({
        entryId: z.uuid(),
        baseRev: int32().min(0),
        reason: multiline().max(500, '理由は500文字以内です'),
      }),
    )
    .mutation(({ ctx, input, path }) => finaliseDocument(ctx.karte.db, actorOf(ctx.auth, path), input)),
});
