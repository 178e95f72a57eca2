import { router } from '../trpc';
import { adminRouter } from './admin';
import { authRouter } from './auth';
import { chartRouter } from './chart';
import { ordersRouter } from './orders';
import { receptionRouter } from './reception';

export const appRouter = router({
  auth: authRouter,
  reception: receptionRouter,
  chart: chartRouter,
  orders: ordersRouter,
  admin: adminRouter,
});

export type AppRouter = typeof appRouter;
