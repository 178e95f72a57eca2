import { router } from '../trpc';
import { adminRouter } from './admin';
import { authRouter } from './auth';
import { receptionRouter } from './reception';

export const appRouter = router({
  auth: authRouter,
  reception: receptionRouter,
  admin: adminRouter,
});

export type AppRouter = typeof appRouter;
