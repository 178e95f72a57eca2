import {
  appointmentBookInput,
  appointmentCalendarInput,
  appointmentCancelInput,
  appointmentMoveInput,
  appointmentRef,
  appointmentVersionInput,
} from '@karte/domain';
import {
  appointmentSlip,
  book,
  calendar,
  cancel,
  checkInFromAppointment,
  markNoShow,
  move,
  todaysAppointments,
} from '../services/appointments/service';
import { actorOf } from '../services/audit';
import { patientData, router } from '../trpc';

const staff = ['doctor', 'nurse', 'clerk', 'admin'] as const;
/** 受付 from an appointment is the reception check-in: the clerks' (and the admin's), as reception.checkIn. */
const reception = ['clerk', 'admin'] as const;

/** 予約 (appointments): issue #15. */
export const appointmentsRouter = router({
  calendar: patientData(staff, 'read')
    .input(appointmentCalendarInput)
    .query(({ ctx, input, path }) => calendar(ctx.karte.db, actorOf(ctx.auth, path), input)),

  book: patientData(staff, 'create')
    .input(appointmentBookInput)
    .mutation(({ ctx, input, path }) => book(ctx.karte.db, actorOf(ctx.auth, path), input)),

  move: patientData(staff, 'update')
    .input(appointmentMoveInput)
    .mutation(({ ctx, input, path }) => move(ctx.karte.db, actorOf(ctx.auth, path), input)),

  cancel: patientData(staff, 'update')
    .input(appointmentCancelInput)
    .mutation(({ ctx, input, path }) => cancel(ctx.karte.db, actorOf(ctx.auth, path), input)),

  markNoShow: patientData(staff, 'update')
    .input(appointmentVersionInput)
    .mutation(({ ctx, input, path }) => markNoShow(ctx.karte.db, actorOf(ctx.auth, path), input)),

  checkIn: patientData(reception, 'create')
    .input(appointmentVersionInput)
    .mutation(({ ctx, input, path }) => checkInFromAppointment(ctx.karte.db, actorOf(ctx.auth, path), input)),

  today: patientData(staff, 'read').query(({ ctx, path }) =>
    todaysAppointments(ctx.karte.db, actorOf(ctx.auth, path)),
  ),

  get: patientData(staff, 'read')
    .input(appointmentRef)
    .query(({ ctx, input, path }) =>
      appointmentSlip(ctx.karte.db, actorOf(ctx.auth, path), input.appointmentId),
    ),
});
