import { router } from '../trpc';
import { adminRouter } from './admin';
import { authRouter } from './auth';
import { billingRouter } from './billing';
import { chartRouter } from './chart';
import { documentsRouter } from './documents';
import { ordersRouter } from './orders';
import { receptionRouter } from './reception';
import { sharingRouter } from './sharing';

export const appRouter = router({
  auth: authRouter,
  reception: receptionRouter,
  chart: chartRouter,
  orders: ordersRouter,
  documents: documentsRouter,
  sharing: sharingRouter,
  billing: billingRouter,
  admin: adminRouter,
});

export type AppRouter = typeof appRouter;
