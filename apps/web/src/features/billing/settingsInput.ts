import type { BillingSettings } from '@karte/domain';

// 会計設定 as typed → as the contract wants it: full-width digits and letters (NFKC) become half-width, the
// 自費 ID lower-case (or made from the name when left empty). The contract then checks what remains.

/** Full-width → half-width (NFKC), trimmed. */
export const halfWidth = (typed: string) => typed.normalize('NFKC').trim();

/** An amount typed in a text field ('３，３００' → 3300); empty or not a number → NaN (the field says why). */
export function yenFromText(typed: unknown): number {
  if (typeof typed === 'number') return typed;
  const text = halfWidth(String(typed ?? '')).replace(/[,¥円]/g, '');
  if (text === '' || !/^-?[0-9.e+]+$/i.test(text)) return Number.NaN;
  return Number(text);
}

/** 自費 ID as typed: half-width, lower-case, spaces to '-'. */
export const selfPayIdFrom = (typed: string) => halfWidth(typed).toLowerCase().replace(/\s+/g, '-');

/** An ID for an item left without one: its name's letters and digits, else item-N; never one already taken. */
export function generatedId(name: string, taken: ReadonlySet<string>): string {
  const base =
    selfPayIdFrom(name)
      .replace(/[^a-z0-9-]/g, '')
      .replace(/-+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 30) || 'item';
  for (let n = 1; ; n++) {
    const id = n === 1 && base !== 'item' ? base : `${base}-${n}`;
    if (!taken.has(id)) return id;
  }
}

/** The whole form, normalized before the contract checks it. */
export function normalizeSettings(values: BillingSettings): BillingSettings {
  const items = values.selfPayItems.map((i) => ({
    ...i,
    id: selfPayIdFrom(i.id),
    priceYen: yenFromText(i.priceYen),
  }));
  const taken = new Set(items.map((i) => i.id).filter(Boolean));
  for (const item of items) {
    if (item.id) continue;
    item.id = generatedId(item.name, taken);
    taken.add(item.id);
  }
  return {
    ...values,
    localSchemes: values.localSchemes.map((s) => ({
      ...s,
      payerNumber: halfWidth(s.payerNumber),
      yen: yenFromText(s.yen),
    })),
    selfPayItems: items,
  };
}

/** The message for an amount the contract cannot name in Japanese (empty or not a number). */
export const notANumber = '金額を半角または全角の数字で入力してください';
