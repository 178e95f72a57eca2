import {
  checkInInput,
  coverageFields,
  patientCreateInput,
  patientSearchInput,
  patientUpdateInput,
  publicSubsidyFields,
  visitTransitionInput,
} from '@karte/domain';
import { z } from 'zod';
import { actorOf } from '../services/audit';
import { issueCard, readCard } from '../services/reception/card';
import {
  addPublicSubsidy,
  coverageValues,
  insuranceOf,
  removePublicSubsidy,
  saveCoverage,
} from '../services/reception/coverage';
import { applyEligibility, checkEligibility, coverageFieldNames } from '../services/reception/eligibility';
import { editPatient, findPatients, readPatient, registerPatient } from '../services/reception/patients';
import { checkIn, moveVisit, todaysBoard, todaysBoardStamp } from '../services/reception/visits';
import { authed, patientData, router } from '../trpc';

const staff = ['doctor', 'nurse', 'clerk', 'admin'] as const;
const registrars = ['clerk', 'admin', 'doctor', 'nurse'] as const;
/** 受付・医事: insurance, eligibility and check-in are the clerks' (and the admin's). */
const reception = ['clerk', 'admin'] as const;
const patientRef = z.strictObject({ patientId: z.uuid() });

export const receptionRouter = router({
  searchPatients: patientData(staff, 'search')
    .input(patientSearchInput)
    .query(({ ctx, input, path }) =>
      findPatients(ctx.karte.db, actorOf(ctx.auth, path), input.query, input.limit),
    ),

  getPatient: patientData(staff, 'read')
    .input(z.strictObject({ id: z.uuid() }))
    .query(({ ctx, input, path }) => readPatient(ctx.karte.db, actorOf(ctx.auth, path), input.id)),

  registerPatient: patientData(registrars, 'create')
    .input(patientCreateInput)
    .mutation(({ ctx, input, path }) => registerPatient(ctx.karte.db, actorOf(ctx.auth, path), input)),

  updatePatient: patientData(registrars, 'update')
    .input(patientUpdateInput)
    .mutation(({ ctx, input, path }) => editPatient(ctx.karte.db, actorOf(ctx.auth, path), input)),

  insurance: patientData(staff, 'read')
    .input(patientRef)
    .query(({ ctx, input, path }) => insuranceOf(ctx.karte.db, actorOf(ctx.auth, path), input.patientId)),

  saveCoverage: patientData(reception, 'update')
    .input(
      z.strictObject({
        patientId: z.uuid(),
        /** The coverage version the edit started from (null: none yet). */
        basedOn: z.uuid().nullable(),
        coverage: coverageFields,
      }),
    )
    .mutation(({ ctx, input, path }) =>
      saveCoverage(
        ctx.karte.db,
        actorOf(ctx.auth, path),
        input.patientId,
        input.basedOn,
        coverageValues(input.coverage),
      ),
    ),

  addPublicSubsidy: patientData(reception, 'update')
    .input(z.strictObject({ patientId: z.uuid(), subsidy: publicSubsidyFields }))
    .mutation(({ ctx, input, path }) =>
      addPublicSubsidy(ctx.karte.db, actorOf(ctx.auth, path), input.patientId, input.subsidy),
    ),

  removePublicSubsidy: patientData(reception, 'update')
    .input(z.strictObject({ patientId: z.uuid(), id: z.uuid() }))
    .mutation(({ ctx, input, path }) =>
      removePublicSubsidy(ctx.karte.db, actorOf(ctx.auth, path), input.patientId, input.id),
    ),

  checkEligibility: patientData(reception, 'eligibility-check')
    .input(
      z.strictObject({
        patientId: z.uuid(),
        method: z.enum(['card', 'insurance']),
        consent: z.strictObject({ limit: z.boolean(), medication: z.boolean(), checkup: z.boolean() }),
      }),
    )
    .mutation(({ ctx, input, path }) =>
      checkEligibility(
        ctx.karte.db,
        ctx.eligibility,
        actorOf(ctx.auth, path),
        ctx.auth.facility.institutionCode,
        input,
      ),
    ),

  applyEligibility: patientData(reception, 'update')
    .input(
      z.strictObject({
        checkId: z.uuid(),
        basedOn: z.uuid().nullable(),
        /** The differences the clerk was shown (their fields): exactly these change, or it is a conflict. */
        fields: z.array(z.enum(coverageFieldNames)).max(coverageFieldNames.length),
      }),
    )
    .mutation(({ ctx, input, path }) =>
      applyEligibility(ctx.karte.db, actorOf(ctx.auth, path), input.checkId, input.basedOn, input.fields),
    ),

  checkIn: patientData(reception, 'create')
    .input(checkInInput)
    .mutation(({ ctx, input, path }) => checkIn(ctx.karte.db, actorOf(ctx.auth, path), input)),

  moveVisit: patientData(staff, 'update')
    .input(visitTransitionInput)
    .mutation(({ ctx, input, path }) =>
      moveVisit(ctx.karte.db, actorOf(ctx.auth, path), ctx.auth.user.role, input),
    ),

  board: patientData(staff, 'read').query(({ ctx, path }) =>
    todaysBoard(ctx.karte.db, actorOf(ctx.auth, path)),
  ),

  /** 診察券: the card's content (clinic, patient, cards issued before). */
  card: patientData(staff, 'read')
    .input(patientRef)
    .query(({ ctx, input, path }) => readCard(ctx.karte.db, actorOf(ctx.auth, path), input.patientId)),

  /** 診察券を印刷: records the issue (a 再発行 after the first) in the audit trail. */
  issueCard: patientData(staff, 'card-issue')
    .input(patientRef)
    .mutation(({ ctx, input, path }) => issueCard(ctx.karte.db, actorOf(ctx.auth, path), input.patientId)),

  /** A fingerprint of today's board without patient data (polled; not audited). */
  boardStamp: authed(staff).query(({ ctx, path }) => todaysBoardStamp(ctx.karte.db, actorOf(ctx.auth, path))),
});
