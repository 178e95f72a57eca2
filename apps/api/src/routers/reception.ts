import { patientCreateInput, patientSearchInput, patientUpdateInput } from '@karte/domain';
import { z } from 'zod';
import { actorOf } from '../services/audit';
import { editPatient, findPatients, readPatient, registerPatient } from '../services/reception/patients';
import { patientData, router } from '../trpc';

const staff = ['doctor', 'nurse', 'clerk', 'admin'] as const;
const registrars = ['clerk', 'admin', 'doctor', 'nurse'] as const;

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
});
