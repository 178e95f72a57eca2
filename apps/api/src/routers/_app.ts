import { router } from '../trpc';
import { adminRouter } from './admin';
import { appointmentsRouter } from './appointments';
import { auditTrailRouter } from './auditTrail';
import { authRouter } from './auth';
import { backupsRouter } from './backups';
import { billingRouter } from './billing';
import { chartRouter } from './chart';
import { clinicRouter } from './clinic';
import { documentsRouter } from './documents';
import { offlineRouter } from './offline';
import { ordersRouter } from './orders';
import { passkeysRouter } from './passkeys';
import { receptionRouter } from './reception';
import { sessionsRouter } from './sessions';
import { sharingRouter } from './sharing';
import { twoFactorRouter } from './twoFactor';
import { vitalsRouter } from './vitals';

export const appRouter = router({
  auth: authRouter,
  reception: receptionRouter,
  chart: chartRouter,
  orders: ordersRouter,
  documents: documentsRouter,
  sharing: sharingRouter,
  billing: billingRouter,
  admin: adminRouter,
  // Issue #14: trust and continuity.
  twoFactor: twoFactorRouter,
  passkeys: passkeysRouter,
  sessions: sessionsRouter,
  auditTrail: auditTrailRouter,
  backups: backupsRouter,
  offline: offlineRouter,
  clinic: clinicRouter,
  // Issue #15: the clinic's day.
  appointments: appointmentsRouter, // 予約
  vitals: vitalsRouter, // バイタル・問診
});

export type AppRouter = typeof appRouter;
