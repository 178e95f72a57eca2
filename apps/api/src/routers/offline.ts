import { offlineFileInput, offlinePassphraseInput } from '@karte/domain';
import { actorOf } from '../services/audit';
import { downloadExport, exportNow, offlineStatus, setOfflinePassphrase } from '../services/offline/export';
import { authed, patientData, router } from '../trpc';

const admin = ['admin'] as const;

/** 見読性: the encrypted offline HTML export of the day's patients, made on a schedule and on demand (issue #14). */
export const offlineRouter = router({
  status: authed(admin).query(({ ctx, path }) => offlineStatus(ctx.config.offline, actorOf(ctx.auth, path))),

  setPassphrase: authed(admin)
    .input(offlinePassphraseInput)
    .mutation(({ ctx, input, path }) =>
      setOfflinePassphrase(ctx.karte.db, ctx.config.offline, actorOf(ctx.auth, path), input),
    ),

  exportNow: patientData(admin, 'offline-export').mutation(({ ctx, path }) =>
    exportNow(ctx.karte.db, ctx.config.offline, actorOf(ctx.auth, path)),
  ),

  download: patientData(admin, 'offline-download')
    .input(offlineFileInput)
    .query(({ ctx, input, path }) =>
      downloadExport(ctx.karte.db, ctx.config.offline, actorOf(ctx.auth, path), input.date),
    ),
});
