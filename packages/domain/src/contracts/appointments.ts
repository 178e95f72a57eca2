import { z } from 'zod';
import { int32, isoDate, line, multiline } from './input';

// 予約 (appointments): the contracts of the API and the booking form.

/** 予約枠の長さ (minutes): the calendar's grid. A documented constant until clinics ask for their own. */
export const SLOT_MINUTES = 15;

export const appointmentStateValues = ['booked', 'checked_in', 'no_show', 'cancelled'] as const;
export type AppointmentState = (typeof appointmentStateValues)[number];
export const appointmentStateLabels: Record<AppointmentState, string> = {
  booked: '予約',
  checked_in: '受付済',
  no_show: '不来院',
  cancelled: '取消',
};

/** HH:MM, 00:00–23:59. */
export const clockTime = line(5, { error: '時刻を入力してください' }).regex(
  /^([01][0-9]|2[0-3]):[0-5][0-9]$/,
  '時刻は HH:MM で入力してください',
);

export const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
export const hhmmOf = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

const department = line(40, { error: '診療科を選択してください' })
  .trim()
  .min(1, '診療科を選択してください')
  .max(20, '診療科名は20文字以内です');
const duration = int32({ error: '所要時間を入力してください' })
  .min(5, '所要時間は5分以上です')
  .max(240, '所要時間は240分以内です')
  .refine((v) => v % 5 === 0, '所要時間は5分単位です');
const version = int32().positive();

export const appointmentRef = z.strictObject({ appointmentId: z.uuid() });

export const appointmentBookInput = z.strictObject({
  patientId: z.uuid(),
  /** null: any doctor of the department (担当医指定なし). */
  doctorId: z.uuid().nullable(),
  department,
  date: isoDate,
  startTime: clockTime,
  durationMinutes: duration,
  purpose: line().trim().max(100, '予約目的は100文字以内です'),
  memo: multiline().trim().max(500, 'メモは500文字以内です'),
});
export type AppointmentBookInput = z.infer<typeof appointmentBookInput>;

export const appointmentMoveInput = z.strictObject({
  appointmentId: z.uuid(),
  version,
  date: isoDate,
  startTime: clockTime,
  doctorId: z.uuid().nullable(),
  durationMinutes: duration,
});
export type AppointmentMoveInput = z.infer<typeof appointmentMoveInput>;

export const appointmentCancelInput = z.strictObject({
  appointmentId: z.uuid(),
  version,
  reason: line().trim().min(1, '取消の理由を入力してください').max(200, '理由は200文字以内です'),
});

export const appointmentVersionInput = z.strictObject({ appointmentId: z.uuid(), version });

export const appointmentCalendarInput = z.strictObject({
  from: isoDate,
  /** 1 (day) or 7 (week). */
  days: int32().min(1, '日数は1〜7です').max(7, '日数は1〜7です'),
  doctorId: z.uuid().nullable().optional(),
  department: line(40).trim().max(20).optional(),
});
export type AppointmentCalendarInput = z.infer<typeof appointmentCalendarInput>;

/** One appointment as the screens show it. */
export interface AppointmentView {
  id: string;
  patientId: string;
  patientNumber: number;
  familyName: string;
  givenName: string;
  familyNameKana: string;
  givenNameKana: string;
  doctorId: string | null;
  doctorName: string | null;
  department: string;
  date: string;
  startTime: string;
  durationMinutes: number;
  purpose: string;
  memo: string;
  state: AppointmentState;
  visitId: string | null;
  cancelReason: string;
  version: number;
}

export interface CalendarDay {
  date: string;
  /** Why the clinic is closed that day (休診日, 祝日, 日曜日), or null. */
  closed: string | null;
  /** The day's slots (HH:MM), from the clinic's 診療時間. */
  slots: string[];
}
