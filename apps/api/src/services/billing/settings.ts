import { appendAudit, type Database, getBillingSettings, putBillingSettings, type Tx } from '@karte/db';
import { type BillingSettings, billingSettingsFields, todayInJapan } from '@karte/domain';
import { TRPCError } from '@trpc/server';
import type { Actor } from '../audit';
import { currentTariff } from './tariff';

// The facility's billing settings: 届出, 診療時間, 休診日, 地方単独 公費, 自費 price list, 会計セット.

const morning: [string, string] = ['09:00', '12:30'];
const afternoon: [string, string] = ['15:00', '18:00'];

/** Before an admin saves anything: 月–金 9:00–12:30 and 15:00–18:00, 土 午前, 日 休診; nothing 届出. */
export function defaultBillingSettings(): BillingSettings {
  const weekday = () => [[...morning] as [string, string], [...afternoon] as [string, string]];
  return {
    standards: [],
    facilityAddOns: [],
    hours: [[], weekday(), weekday(), weekday(), weekday(), weekday(), [[...morning]]],
    closedDays: [],
    localSchemes: [],
    selfPayItems: [],
    sets: [],
  };
}

/**
 * A facility's settings (version 0 = the defaults, never saved). Fields added after a save take their
 * default; a stored value the contract no longer accepts falls back to the default of that field.
 */
export async function billingSettingsOf(
  tx: Tx,
  facilityId: string,
): Promise<BillingSettings & { version: number }> {
  const defaults = defaultBillingSettings();
  const row = await getBillingSettings(tx, facilityId);
  if (!row) return { ...defaults, version: 0 };
  const fields = billingSettingsFields.shape;
  const merged = Object.fromEntries(
    (Object.keys(fields) as (keyof BillingSettings)[]).map((key) => {
      const parsed = fields[key].safeParse(row.content[key]);
      return [key, parsed.success ? parsed.data : defaults[key]];
    }),
  ) as BillingSettings;
  return { ...merged, version: row.version };
}

export function readBillingSettings(db: Database, actor: Actor) {
  return billingSettingsOf(db, actor.facilityId);
}

const bad = (message: string) => new TRPCError({ code: 'BAD_REQUEST', message });

/** What the field types cannot say: periods in order, ids and 公費負担者番号 unique. */
function checkSettings(s: BillingSettings) {
  const days = ['日', '月', '火', '水', '木', '金', '土'];
  s.hours.forEach((periods, day) => {
    let last = '';
    for (const [open, close] of periods) {
      if (open >= close)
        throw bad(`${days[day]}曜日の診療時間は開始を終了より前にしてください（${open}〜${close}）`);
      if (open < last) throw bad(`${days[day]}曜日の診療時間が重なっているか、順番が逆です`);
      last = close;
    }
  });
  const dup = (values: string[]) => values.find((v, i) => values.indexOf(v) !== i);
  const item = dup(s.selfPayItems.map((i) => i.id));
  if (item) throw bad(`自費項目のID「${item}」が重複しています`);
  const payer = dup(s.localSchemes.map((l) => l.payerNumber));
  if (payer) throw bad(`公費負担者番号 ${payer} が重複しています`);
  const setId = dup(s.sets.map((x) => x.id));
  if (setId) throw bad(`会計セットのID「${setId}」が重複しています`);
  const setName = dup(s.sets.map((x) => x.name));
  if (setName) throw bad(`会計セット「${setName}」が重複しています`);
}

/** Every セット item is in the tariff valid today under its kind (a typo'd or retired code is refused). */
async function checkSetCodes(db: Database, s: BillingSettings) {
  if (!s.sets.some((x) => x.items.length > 0)) return; // no need to load the tariff
  const tariff = await currentTariff(db);
  const today = todayInJapan();
  for (const set of s.sets) {
    for (const item of set.items) {
      const found =
        item.kind === 'procedure'
          ? tariff.procedure(item.code, today)
          : item.kind === 'drug'
            ? tariff.drug(item.code, today)
            : tariff.material(item.code, today);
      if (!found) {
        throw bad(
          `会計セット「${set.name}」のコード ${item.code} は本日有効な点数表・薬価・材料価格にありません`,
        );
      }
    }
  }
}

/** Saves the settings over the version the admin read (another save in between: CONFLICT), audited. */
export async function saveBillingSettings(
  db: Database,
  actor: Actor,
  input: { expectedVersion: number; settings: BillingSettings },
): Promise<BillingSettings & { version: number }> {
  checkSettings(input.settings);
  await checkSetCodes(db, input.settings);
  const settings: BillingSettings = {
    ...input.settings,
    standards: [...new Set(input.settings.standards)],
    facilityAddOns: [...new Set(input.settings.facilityAddOns)],
    closedDays: [...new Set(input.settings.closedDays)].sort(),
  };
  return db.transaction(async (tx) => {
    const row = await putBillingSettings(tx, actor.facilityId, {
      expectedVersion: input.expectedVersion,
      content: settings,
      userId: actor.userId,
    });
    if (!row) {
      throw new TRPCError({
        code: 'CONFLICT',
        message: '会計の設定は他の利用者が先に更新しました。画面を読み込み直してから変更してください',
      });
    }
    await appendAudit(tx, {
      facilityId: actor.facilityId,
      userId: actor.userId,
      patientId: null,
      action: 'save-billing-settings',
      procedure: actor.procedure,
      outcome: 'ok',
      detail: {
        version: row.version,
        standards: settings.standards.length,
        selfPayItems: settings.selfPayItems.length,
        sets: settings.sets.length,
      },
    });
    return { ...settings, version: row.version };
  });
}
