import { drugFromCols, materialFromCols, procedureFromCols } from '@karte/billing';
import { type Database, type StoredTariffVersion, searchTariff } from '@karte/db';
import { normalizeForSearch } from '@karte/domain';
import type { Actor } from '../audit';
import type { TariffHit } from './bills';
import { billingSettingsOf } from './settings';
import { tariffReady } from './tariff';

// Adding a line to a 会計: 診療行為, 医薬品 and 特定器材 valid on the visit date, and the facility's 自費 items.

const LIMIT = 30;
const allKinds: TariffHit['kind'][] = ['procedure', 'drug', 'material', 'selfPay'];

/** A search hit; a 診療行為 also names its 集計先 (section). */
export type SearchHit = TariffHit & { section?: string };

function hitOf(v: StoredTariffVersion): SearchHit | null {
  switch (v.kind) {
    case 'procedure': {
      const p = procedureFromCols(v);
      return {
        kind: 'procedure',
        code: p.code,
        name: p.name,
        points: p.points,
        priceYen: null,
        unit: p.unit,
        // 点数欄集計先 (50 手術, 54 麻酔 …): the screen asks before adding an unusual line.
        section: p.section,
      };
    }
    case 'drug': {
      const d = drugFromCols(v);
      return { kind: 'drug', code: d.code, name: d.name, points: null, priceYen: d.priceYen, unit: d.unit };
    }
    case 'material': {
      const m = materialFromCols(v);
      return {
        kind: 'material',
        code: m.code,
        name: m.name,
        points: null,
        priceYen: m.priceYen,
        unit: m.unit,
      };
    }
    default:
      return null; // コメント are not billed lines
  }
}

/**
 * Code prefix, or name / カナ (full or half width, hiragana or katakana) within the name, among versions
 * valid on the date; the facility's 自費 items by name or id. Code matches first, at most 30.
 */
export async function searchBillItems(
  db: Database,
  actor: Actor,
  input: { q: string; date: string; kinds?: TariffHit['kind'][] },
): Promise<SearchHit[]> {
  const kinds = input.kinds?.length ? input.kinds : allKinds;
  const q = normalizeForSearch(input.q);
  if (!q) return [];
  const selfPay: TariffHit[] = [];
  if (kinds.includes('selfPay')) {
    const settings = await billingSettingsOf(db, actor.facilityId);
    for (const item of settings.selfPayItems) {
      if (item.id.toUpperCase().startsWith(q) || normalizeForSearch(item.name).includes(q)) {
        selfPay.push({
          kind: 'selfPay',
          code: item.id,
          name: item.name,
          points: null,
          priceYen: item.priceYen,
          unit: '',
        });
      }
    }
  }
  await tariffReady(db);
  const tariffKinds = kinds.filter((k): k is 'procedure' | 'drug' | 'material' => k !== 'selfPay');
  const found = await searchTariff(db, { text: input.q, date: input.date, kinds: tariffKinds, limit: LIMIT });
  const insured = found.map(hitOf).filter((h): h is SearchHit => h !== null);
  // The clinic's own list is short and specific: its matches lead unless a code was typed.
  const codeHits = insured.filter((h) => h.code.startsWith(q));
  const rest = insured.filter((h) => !h.code.startsWith(q));
  return [...codeHits, ...selfPay, ...rest].slice(0, LIMIT);
}
