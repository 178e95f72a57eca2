import type { CommentItem, DrugItem, MaterialItem, ProcedureItem, Tariff, TariffKind } from '../types';
import type { TariffVersion } from './index';
import { commentFromCols, drugFromCols, materialFromCols, procedureFromCols } from './items';
import { LAYOUTS, sskDate } from './layout';

type Item = ProcedureItem | DrugItem | MaterialItem | CommentItem;
const CONVERT: Record<TariffKind, (v: TariffVersion) => Item> = {
  procedure: procedureFromCols,
  drug: drugFromCols,
  material: materialFromCols,
  comment: commentFromCols,
};

const covers = (v: TariffVersion, date: string) =>
  v.validFrom <= date && (v.validTo === null || date <= v.validTo);

/** Per kind: versions by code; items are built on first lookup and kept (a visit asks for the same codes often). */
class KindIndex {
  readonly byCode = new Map<string, TariffVersion[]>();
  private readonly items = new WeakMap<TariffVersion, Item>();
  constructor(private readonly kind: TariffKind) {}
  add(v: TariffVersion) {
    const list = this.byCode.get(v.code);
    if (list) list.push(v);
    else this.byCode.set(v.code, [v]);
  }
  sort() {
    for (const list of this.byCode.values()) list.sort((a, b) => a.validFrom.localeCompare(b.validFrom));
  }
  version(code: string, date: string): TariffVersion | undefined {
    const list = this.byCode.get(code);
    if (!list) return undefined;
    for (let i = list.length - 1; i >= 0; i--) {
      const v = list[i] as TariffVersion;
      if (covers(v, date)) return v;
    }
    return undefined;
  }
  item(v: TariffVersion): Item {
    let it = this.items.get(v);
    if (!it) {
      it = CONVERT[this.kind](v);
      this.items.set(v, it);
    }
    return it;
  }
  get(code: string, date: string): Item | undefined {
    const v = this.version(code, date);
    return v ? this.item(v) : undefined;
  }
}

/** A Tariff over versions held in memory (bundled files, or rows read from the database). */
export function memoryTariff(versions: Iterable<TariffVersion>): Tariff {
  const idx: Record<TariffKind, KindIndex> = {
    procedure: new KindIndex('procedure'),
    drug: new KindIndex('drug'),
    material: new KindIndex('material'),
    comment: new KindIndex('comment'),
  };
  // 薬価基準コード (YJ, col 31) and 一般名コード (col 36) → レセ電 codes that ever carried them
  const byYj = new Map<string, Set<string>>();
  const byGeneric = new Map<string, Set<string>>();
  const note = (m: Map<string, Set<string>>, key: string, code: string) => {
    if (!key) return;
    const set = m.get(key);
    if (set) set.add(code);
    else m.set(key, new Set([code]));
  };
  let newest = '';
  for (const v of versions) {
    idx[v.kind].add(v);
    if (v.kind === 'drug') {
      note(byYj, v.cols[31] ?? '', v.code);
      note(byGeneric, v.cols[36] ?? '', v.code);
    }
    const changed = sskDate(v.cols[LAYOUTS[v.kind].changedOn]);
    if (changed && changed > newest) newest = changed;
    if (v.validFrom > newest) newest = v.validFrom;
  }
  for (const k of Object.values(idx)) k.sort();

  // 選定療養区分 (col 41) 2 = the 長期収載品's "（選）" code, billed only when the patient chooses the brand:
  // never picked for a YJ or 一般名 lookup while a plain code exists.
  const SELECTED_BRAND = '2';
  const drugsOf = (codes: Set<string> | undefined, key: string, col: 31 | 36, date: string): DrugItem[] => {
    const plain: DrugItem[] = [];
    const selected: DrugItem[] = [];
    for (const code of codes ?? []) {
      const v = idx.drug.version(code, date);
      if (!v || v.cols[col] !== key) continue;
      (v.cols[41] === SELECTED_BRAND ? selected : plain).push(idx.drug.item(v) as DrugItem);
    }
    return plain.length > 0 ? plain : selected;
  };
  const cheapest = (list: DrugItem[]) =>
    list.reduce<DrugItem | undefined>(
      (best, d) =>
        !best || d.priceYen < best.priceYen || (d.priceYen === best.priceYen && d.code < best.code)
          ? d
          : best,
      undefined,
    );

  return {
    procedure: (code, date) => idx.procedure.get(code, date) as ProcedureItem | undefined,
    drug: (code, date) => idx.drug.get(code, date) as DrugItem | undefined,
    material: (code, date) => idx.material.get(code, date) as MaterialItem | undefined,
    comment: (code, date) => idx.comment.get(code, date) as CommentItem | undefined,
    drugByYj(yjOrGenericCode, date) {
      const key = yjOrGenericCode.trim();
      if (key.endsWith('ZZZ')) return cheapest(drugsOf(byGeneric.get(key), key, 36, date));
      // a YJ code names one product; should it carry several レセ電 codes, the cheapest
      return cheapest(drugsOf(byYj.get(key), key, 31, date));
    },
    newestChange: () => newest,
  };
}
