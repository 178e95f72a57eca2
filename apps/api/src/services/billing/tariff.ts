import { memoryTariff, type Tariff } from '@karte/billing';
import { allTariffVersions, type Database, latestTariffImport } from '@karte/db';
import { ensureTariff } from './masters';

interface Cached {
  importId: number;
  tariff: Promise<Tariff>;
}
// Per database (tests open several in one process); the entry is replaced when a newer import is logged.
const cache = new WeakMap<Database, Cached>();

/**
 * The tariff as loaded in the database (tariff_items), held in memory per process and reloaded when a newer
 * master import appears (master_imports). Every facility shares it.
 */
export async function currentTariff(db: Database): Promise<Tariff> {
  let importId = await latestTariffImport(db); // one indexed row: cheap enough for every call
  if (importId === 0) {
    await tariffReady(db);
    importId = await latestTariffImport(db);
  }
  const held = cache.get(db);
  if (held && held.importId === importId) return held.tariff;
  const tariff = allTariffVersions(db).then((versions) => memoryTariff(versions));
  cache.set(db, { importId, tariff });
  // A failed load is not kept: the next call tries again.
  tariff.catch(() => {
    if (cache.get(db)?.tariff === tariff) cache.delete(db);
  });
  return tariff;
}

const loading = new WeakMap<Database, Promise<{ files: number; versions: number } | null>>();

/**
 * The tariff is in the database. The server starts loading the bundled set once it listens; whatever needs
 * the tariff meanwhile waits for that same load, and a database that skipped it (tests) gets it on first use.
 */
export function tariffReady(db: Database): Promise<{ files: number; versions: number } | null> {
  const inFlight = loading.get(db);
  if (inFlight) return inFlight;
  const load = (async () => ((await latestTariffImport(db)) > 0 ? null : ensureTariff(db)))();
  loading.set(db, load);
  load.finally(() => loading.delete(db)).catch(() => {}); // the caller sees the failure; the next call retries
  return load;
}

/** 診療報酬改定: every two years on 1 June (2024, 2026, …). */
export function revisionsAfter(date: string, until: string): string[] {
  const out: string[] = [];
  for (let year = 2024; `${year}-06-01` <= until; year += 2) {
    if (`${year}-06-01` > date) out.push(`${year}-06-01`);
  }
  return out;
}

/** How long after the newest loaded change a visit is still taken as priced with a current master. */
const STALE_MONTHS = 6;

export const SSK_DOWNLOAD_PAGE = 'https://www.ssk.or.jp/seikyushiharai/tensuhyo/kihonmasta/index.html';
const IMPORT_COMMAND =
  'npm run masters:import -- s_ALL….zip y_ALL….zip t_ALL….zip c_ALL….zip（続けて s_YYYYMMDD.csv などの変更ファイル）';

const addMonths = (iso: string, months: number) => {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
};
const jpDate = (iso: string) => {
  const [y, m, d] = iso.split('-').map(Number);
  return `${y}年${m}月${d}日`;
};

/**
 * The "master outdated" notice for a visit: when a 診療報酬改定 lies between the newest loaded change and
 * the visit (its points are then surely old), or the visit is more than six months after the newest
 * change (monthly changes are missing). Null when the loaded master covers the visit date.
 */
export function masterNotice(tariff: Pick<Tariff, 'newestChange'>, visitDate: string): string | null {
  const newest = tariff.newestChange();
  if (!newest || visitDate <= newest) return null;
  const how = `支払基金の基本マスター（${SSK_DOWNLOAD_PAGE}）から最新の全件ファイルと変更ファイルを取得し、${IMPORT_COMMAND} で読み込んでください。`;
  const [revision] = revisionsAfter(newest, visitDate);
  if (revision) {
    const [y, m] = revision.split('-').map(Number);
    return `料金マスターが${y}年${m}月の診療報酬改定に対応していません（読み込み済みは${jpDate(newest)}の変更まで）。点数・薬価が古いまま計算されています。${how}`;
  }
  if (visitDate > addMonths(newest, STALE_MONTHS)) {
    return `料金マスターの最終変更（${jpDate(newest)}）から${STALE_MONTHS}か月以上経っています。点数・薬価が古い可能性があります。${how}`;
  }
  return null;
}
