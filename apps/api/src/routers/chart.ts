import { drugClassRows, searchDiseases, searchDrugs, searchUsages } from '@karte/db';
import {
  allergyFields,
  classNames,
  infectionFields,
  int32,
  line,
  multiline,
  problemFields,
} from '@karte/domain';
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
import {
  addAllergy,
  addInfection,
  addProblem,
  changeAllergyStatus,
  clinicalSummary,
  editProblem,
  listAllergies,
  listProblems,
  removeProblem,
} from '../services/chart/problems';
import { beginVisit, confirmTogether, copyLastVisit } from '../services/chart/quickVisit';
import { listTemplates, readTemplate, removeTemplate, saveTemplate } from '../services/chart/templates';
import { authed, clinicalRoles, patientData, router, safetyRoles, writerRoles } from '../trpc';

const clinical = clinicalRoles;
const writers = writerRoles;

const soap = z.strictObject({
  s: multiline().max(20_000, '記載が長すぎます'),
  o: multiline().max(20_000, '記載が長すぎます'),
  a: multiline().max(20_000, '記載が長すぎます'),
  p: multiline().max(20_000, '記載が長すぎます'),
});

/** A セット is a snippet: 4,000 characters per section (the menu's caps are in the service). */
const templateSoap = z.strictObject({
  s: multiline().max(4_000, 'セットの各欄は4000文字以内です'),
  o: multiline().max(4_000, 'セットの各欄は4000文字以内です'),
  a: multiline().max(4_000, 'セットの各欄は4000文字以内です'),
  p: multiline().max(4_000, 'セットの各欄は4000文字以内です'),
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
        baseRev: int32().min(0),
        content: soap,
        doctorId: z.uuid().nullable(),
      }),
    )
    .mutation(({ ctx, input, path }) =>
      saveEntryDraft(ctx.karte.db, actorOf(ctx.auth, path), ctx.auth.user.role, { ...input, kind: 'soap' }),
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
        baseRev: int32().min(0),
        reason: multiline().max(500, '理由は500文字以内です'),
      }),
    )
    .mutation(({ ctx, input, path }) => confirmEntry(ctx.karte.db, actorOf(ctx.auth, path), input, 'soap')),

  pendingApprovals: patientData(['doctor'], 'read').query(({ ctx, path }) =>
    pendingApprovals(ctx.karte.db, actorOf(ctx.auth, path)),
  ),

  approve: patientData(['doctor'], 'update')
    .input(
      z.strictObject({
        items: z
          .array(z.strictObject({ entryId: z.uuid(), version: int32().positive() }))
          .min(1)
          .max(200),
      }),
    )
    .mutation(({ ctx, input, path }) => approveEntries(ctx.karte.db, actorOf(ctx.auth, path), input.items)),

  /** The standard disease master (no patient data: not audited). */
  searchDiseases: authed(clinical)
    .input(
      z.strictObject({
        query: line().trim().max(50),
        limit: int32().min(1).max(50).default(20),
      }),
    )
    .query(({ ctx, input }) => searchDiseases(ctx.karte.db, input.query, input.limit)),

  searchDrugs: authed(clinical)
    .input(
      z.strictObject({
        query: line().trim().max(50),
        limit: int32().min(1).max(50).default(20),
      }),
    )
    .query(({ ctx, input }) => searchDrugs(ctx.karte.db, input.query, input.limit)),

  /** 用法 choices from the loaded 用法 table (shared reference data): common ones first. */
  searchUsages: authed(clinical)
    .input(
      z.strictObject({
        query: line().trim().max(50),
        kind: z.enum(['oral', 'asNeeded', 'external']).nullable(),
        limit: int32().min(1).max(100).default(50),
      }),
    )
    .query(({ ctx, input }) => searchUsages(ctx.karte.db, input.query, input.kind, input.limit)),

  /** The 薬効分類 class names (drug-classes.csv as loaded), for an allergy registered as a class. */
  drugClassNames: authed(clinical).query(async ({ ctx }) => classNames(await drugClassRows(ctx.karte.db))),

  problems: patientData(clinical, 'read')
    .input(z.strictObject({ patientId: z.uuid() }))
    .query(({ ctx, input, path }) => listProblems(ctx.karte.db, actorOf(ctx.auth, path), input.patientId)),

  addProblem: patientData(writers, 'create')
    .input(z.strictObject({ patientId: z.uuid(), problem: problemFields }))
    .mutation(({ ctx, input, path }) =>
      addProblem(ctx.karte.db, actorOf(ctx.auth, path), input.patientId, input.problem),
    ),

  updateProblem: patientData(writers, 'update')
    .input(z.strictObject({ id: z.uuid(), version: int32().positive(), problem: problemFields }))
    .mutation(({ ctx, input, path }) =>
      editProblem(ctx.karte.db, actorOf(ctx.auth, path), input.id, input.version, input.problem),
    ),

  /** 削除（誤登録）with a reason; the row is kept, marked, out of the list and the shared record. */
  removeProblem: patientData(writers, 'delete')
    .input(
      z.strictObject({
        id: z.uuid(),
        version: int32().positive(),
        reason: line().trim().min(1, '削除の理由を入力してください').max(500, '理由は500文字以内です'),
      }),
    )
    .mutation(({ ctx, input, path }) => removeProblem(ctx.karte.db, actorOf(ctx.auth, path), input)),

  allergies: patientData(clinical, 'read')
    .input(z.strictObject({ patientId: z.uuid() }))
    .query(({ ctx, input, path }) => listAllergies(ctx.karte.db, actorOf(ctx.auth, path), input.patientId)),

  addAllergy: patientData(safetyRoles, 'create')
    .input(z.strictObject({ patientId: z.uuid(), allergy: allergyFields }))
    .mutation(({ ctx, input, path }) =>
      addAllergy(ctx.karte.db, actorOf(ctx.auth, path), input.patientId, input.allergy),
    ),

  setAllergyStatus: patientData(safetyRoles, 'update')
    .input(
      z.strictObject({
        patientId: z.uuid(),
        id: z.uuid(),
        version: int32().positive(),
        status: z.enum(['active', 'inactive', 'resolved']),
      }),
    )
    .mutation(({ ctx, input, path }) => changeAllergyStatus(ctx.karte.db, actorOf(ctx.auth, path), input)),

  addInfection: patientData(safetyRoles, 'create')
    .input(z.strictObject({ patientId: z.uuid(), infection: infectionFields }))
    .mutation(({ ctx, input, path }) =>
      addInfection(ctx.karte.db, actorOf(ctx.auth, path), input.patientId, input.infection),
    ),

  /** Allergies and infections for the patient header, on every patient screen. */
  summary: patientData(['doctor', 'nurse', 'clerk', 'admin'], 'read')
    .input(z.strictObject({ patientId: z.uuid() }))
    .query(({ ctx, input, path }) => clinicalSummary(ctx.karte.db, actorOf(ctx.auth, path), input.patientId)),

  /** セット (no patient data): the menu carries names; the text comes with template(). */
  templates: authed(clinical).query(({ ctx, path }) => listTemplates(ctx.karte.db, actorOf(ctx.auth, path))),

  template: authed(clinical)
    .input(z.strictObject({ id: z.uuid() }))
    .query(({ ctx, input, path }) => readTemplate(ctx.karte.db, actorOf(ctx.auth, path), input.id)),

  saveTemplate: authed(clinical)
    .input(
      z.strictObject({
        name: line().trim().min(1, 'セット名を入力してください').max(50),
        content: templateSoap,
        shared: z.boolean(),
      }),
    )
    .mutation(({ ctx, input, path }) =>
      saveTemplate(ctx.karte.db, actorOf(ctx.auth, path), ctx.auth.user.role, input),
    ),

  deleteTemplate: authed(clinical)
    .input(z.strictObject({ id: z.uuid(), shared: z.boolean() }))
    .mutation(({ ctx, input, path }) =>
      removeTemplate(ctx.karte.db, actorOf(ctx.auth, path), ctx.auth.user.role, input),
    ),

  // 再診を短く (issue #15, Do 再診) ------------------------------------------------------------------

  /** 診察開始 from the board: today's encounter of the visit (created if absent), 診察待 → 診察中. */
  beginVisit: patientData(['doctor'], 'update')
    .input(z.strictObject({ visitId: z.uuid() }))
    .mutation(({ ctx, input, path }) =>
      beginVisit(ctx.karte.db, actorOf(ctx.auth, path), ctx.auth.user.role, input),
    ),

  /** 前回Do: the last visit's SOAP and prescriptions as today's drafts, in one step. */
  copyLastVisit: patientData(writers, 'update')
    .input(z.strictObject({ encounterId: z.uuid(), doctorId: z.uuid().nullable() }))
    .mutation(({ ctx, input, path }) =>
      copyLastVisit(ctx.karte.db, actorOf(ctx.auth, path), ctx.auth.user.role, input),
    ),

  /** 確定 of today's SOAP and prescriptions together (and 会計待), all or nothing. */
  confirmTogether: patientData(writers, 'update')
    .input(
      z.strictObject({
        encounterId: z.uuid(),
        entries: z.array(z.strictObject({ entryId: z.uuid(), baseRev: int32().min(0) })).max(20),
        billing: z.strictObject({ visitId: z.uuid(), version: int32().positive() }).nullable(),
      }),
    )
    .mutation(({ ctx, input, path }) =>
      confirmTogether(ctx.karte.db, actorOf(ctx.auth, path), ctx.auth.user.role, input),
    ),
});
