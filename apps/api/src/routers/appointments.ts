import { router } from '../trpc';

/** Issue #15 — filled in by its workstream. */
export const appointmentsRouter = router({});
