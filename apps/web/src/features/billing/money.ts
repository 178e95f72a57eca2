import { type BillDraft, type BillLineView, type BillTotals, receiptSections } from '@karte/domain';

// Pure helpers of the 会計 screens (no React): amounts, the draft's edits, the 領収証's 区分.

/** ¥1,234 as the window says it. */
export const yen = (n: number) => `${n < 0 ? '-' : ''}¥${Math.abs(n).toLocaleString('ja-JP')}`;

/** 点数 with thousands separators. */
export const points = (n: number) => `${n.toLocaleString('ja-JP')}点`;

/** お釣り: what goes back for cash handed over; null while less than the amount is handed over. */
export function changeYen(amountYen: number, tenderedYen: number | undefined): number | null {
  if (tenderedYen === undefined || Number.isNaN(tenderedYen)) return null;
  return tenderedYen >= amountYen ? tenderedYen - amountYen : null;
}

/** What stays 未収 after paying amountYen of chargeYen (already paid: paidYen). */
export function remainingYen(chargeYen: number, paidYen: number, amountYen: number): number {
  return Math.max(0, chargeYen - paidYen - amountYen);
}

/**
 * 訂正: the new 請求額 against what was paid. Positive: the patient pays the difference; negative: refund
 * (返金).
 */
export const correctionDifference = (newChargeYen: number, paidYen: number) => newChargeYen - paidYen;

/** Removes a line from the draft; a proposed line is kept in `removed` with the clerk's reason. */
export function removeItem(draft: BillDraft, code: string, reason: string): BillDraft {
  const item = draft.items.find((i) => i.code === code);
  if (!item) return draft;
  return {
    ...draft,
    items: draft.items.filter((i) => i !== item),
    removed: item.source === 'proposed' ? [...draft.removed, { code, reason }] : draft.removed,
  };
}

/** Puts a removed proposed line back as it was proposed. */
export function restoreItem(draft: BillDraft, proposal: BillDraft, code: string): BillDraft {
  const item = proposal.items.find((i) => i.code === code);
  return {
    ...draft,
    items: item && !draft.items.some((i) => i.code === code) ? [...draft.items, item] : draft.items,
    removed: draft.removed.filter((r) => r.code !== code),
  };
}

/** Adds a searched procedure (or one more of it when already there). */
export function addProcedure(draft: BillDraft, code: string): BillDraft {
  const existing = draft.items.find((i) => i.kind === 'procedure' && i.code === code);
  if (existing && existing.kind === 'procedure')
    return {
      ...draft,
      items: draft.items.map((i) =>
        i === existing ? { ...existing, count: Math.min(99, existing.count + 1) } : i,
      ),
    };
  return { ...draft, items: [...draft.items, { kind: 'procedure', code, count: 1, source: 'manual' }] };
}

/**
 * 回数 of a procedure line as typed (1–99, e.g. 2回 is one line with count 2). Anything else (empty, 0, a
 * fraction, 100) leaves the draft as it was, so the field's own message tells why.
 */
export function setCount(draft: BillDraft, code: string, typed: string): BillDraft {
  const count = Number(typed.normalize('NFKC').trim());
  if (typed.trim() === '' || !Number.isInteger(count) || count < 1 || count > 99) return draft;
  return {
    ...draft,
    items: draft.items.map((i) => (i.kind === 'procedure' && i.code === code ? { ...i, count } : i)),
  };
}

/**
 * 上限額管理票: the yen the patient already paid this month elsewhere under a 公費, as typed ('' or 0 removes it;
 * anything not a whole number of yen ≥ 0 is ignored).
 */
export function withElsewhere(draft: BillDraft, subsidyId: string, typed: string): BillDraft {
  const rest = (draft.elsewhere ?? []).filter((e) => e.subsidyId !== subsidyId);
  const yen = Number(typed.trim());
  if (typed.trim() === '' || yen === 0) return { ...draft, elsewhere: rest };
  if (!Number.isInteger(yen) || yen < 0 || yen > 1_000_000) return draft;
  return { ...draft, elsewhere: [...rest, { subsidyId, yen }] };
}

/** Adds one 自費 item from the price list (or one more). */
export function addSelfPay(draft: BillDraft, itemId: string): BillDraft {
  const existing = draft.selfPay.find((s) => s.itemId === itemId);
  return {
    ...draft,
    selfPay: existing
      ? draft.selfPay.map((s) => (s === existing ? { ...s, count: Math.min(99, s.count + 1) } : s))
      : [...draft.selfPay, { itemId, count: 1 }],
  };
}

export const removeSelfPay = (draft: BillDraft, itemId: string): BillDraft => ({
  ...draft,
  selfPay: draft.selfPay.filter((s) => s.itemId !== itemId),
});

/** The 領収証's 区分 in their customary order (the contract's list). */
export { receiptSections };

/** Points per customary 区分; a label the form does not know goes to その他, so the sum always holds. */
export function sectionPoints(totals: Pick<BillTotals, 'sections'>): { label: string; points: number }[] {
  const known = new Set<string>(receiptSections);
  const out = new Map<string, number>(receiptSections.map((s) => [s, 0]));
  for (const s of totals.sections) {
    const label = known.has(s.label)
      ? s.label
      : s.label.startsWith('リハビリ')
        ? 'リハビリテーション'
        : 'その他';
    out.set(label, (out.get(label) ?? 0) + s.points);
  }
  return receiptSections.map((label) => ({ label, points: out.get(label) ?? 0 }));
}

/** Lines the 明細書 lists: what was billed, not what the rules dropped. */
export const statementLines = (lines: BillLineView[]) => lines.filter((l) => l.status !== 'dropped');

/** レセプトの診療識別 (the line's 2-digit section) as a word; anything else (a label already) as it is. */
const identifiers: Record<string, string> = {
  '11': '初診',
  '12': '再診',
  '13': '医学管理',
  '14': '在宅',
  '21': '内服',
  '22': '屯服',
  '23': '外用',
  '24': '調剤',
  '25': '処方',
  '26': '麻毒',
  '27': '調基',
  '31': '皮下筋肉内',
  '32': '静脈内',
  '33': 'その他注射',
  '40': '処置',
  '50': '手術',
  '54': '麻酔',
  '60': '検査',
  '70': '画像診断',
  '80': 'その他',
};
export function sectionName(section: string): string {
  const two = /^[0-9]{2}/.exec(section)?.[0];
  return two ? (identifiers[two] ?? section) : section;
}
