import type { BillingSettings } from '@karte/domain';
import { billingSettingsFields } from '@karte/domain';
import { describe, expect, it } from 'vitest';
import { generatedId, normalizeSettings, selfPayIdFrom, yenFromText } from './settingsInput';

const base = {
  hours: [[], [], [], [], [], [], []],
  closedDays: [],
  standards: [],
  facilityAddOns: [],
  localSchemes: [{ payerNumber: '８８１３００１２', name: 'マル乳', kind: 'perVisit', yen: 0 }],
  selfPayItems: [
    { id: 'DOC1', name: '診断書', priceYen: '３，３００' as unknown as number, taxable: true },
    { id: '', name: '証明書', priceYen: 1100, taxable: true },
  ],
} as unknown as BillingSettings;

describe('会計設定 as typed', () => {
  it('converts full-width digits and lower-cases the 自費 ID, so the contract takes it', () => {
    const n = normalizeSettings(base);
    expect(n.localSchemes[0]?.payerNumber).toBe('88130012');
    expect(n.selfPayItems[0]).toMatchObject({ id: 'doc1', priceYen: 3300 });
    expect(n.selfPayItems[1]?.id).toMatch(/^[a-z0-9-]+$/);
    expect(billingSettingsFields.safeParse(n).success).toBe(true);
  });
  it('makes an ID from the name when empty, never one already taken', () => {
    expect(generatedId('Medical Form', new Set())).toBe('medical-form');
    expect(generatedId('診断書', new Set(['item-1']))).toBe('item-2');
    expect(selfPayIdFrom('ＤＯＣ 2')).toBe('doc-2');
  });
  it('keeps a too-large price large (the field says 金額が大きすぎます), not a silent NaN', () => {
    expect(yenFromText('99999999999999999999')).toBeGreaterThan(99_999_999);
    expect(yenFromText('')).toBeNaN();
    expect(yenFromText('abc')).toBeNaN();
    const huge = normalizeSettings({
      ...base,
      selfPayItems: [
        { id: 'x', name: 'x', priceYen: '１００００００００００' as unknown as number, taxable: false },
      ],
    });
    const r = billingSettingsFields.safeParse(huge);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]).toMatchObject({
      path: ['selfPayItems', 0, 'priceYen'],
      message: '金額が大きすぎます',
    });
  });
});
