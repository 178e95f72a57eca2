/** 会計 settings (per facility, versioned, audited) and the item search of the 会計 screen, over HTTP. */
import { searchAudit, tariffIsEmpty } from '@karte/db';
import type { BillingSettings } from '@karte/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addFacility,
  errorCodeOf,
  loginAs,
  startTestApp,
  type TestApp,
  type TestClient,
} from '../../testing';

let app: TestApp;
let a: Awaited<ReturnType<typeof addFacility>>;
let aAdmin: TestClient;
let aClerk: TestClient;
let bAdmin: TestClient;

beforeAll(async () => {
  app = await startTestApp({ demo: false }, { seed: false }); // without the tariff: the first search loads it
  a = await addFacility(app.karte, '0110113719', 'sa');
  await addFacility(app.karte, '1310123458', 'sb');
  aAdmin = await loginAs(app.url, 'sa-admin');
  aClerk = await loginAs(app.url, 'sa-clerk');
  bAdmin = await loginAs(app.url, 'sb-admin');
});
afterAll(() => app?.close());

const strip = ({ version: _, ...settings }: BillingSettings & { version: number }): BillingSettings =>
  settings;

describe('billing settings', () => {
  it('are the defaults until an admin saves: 月–金 午前と午後, 土 午前, 日 休診, nothing 届出', async () => {
    const s = await aClerk.billing.settings.query();
    expect(s.version).toBe(0);
    expect(s.hours[0]).toEqual([]);
    for (const day of [1, 2, 3, 4, 5]) {
      expect(s.hours[day]).toEqual([
        ['09:00', '12:30'],
        ['15:00', '18:00'],
      ]);
    }
    expect(s.hours[6]).toEqual([['09:00', '12:30']]);
    expect([s.standards, s.facilityAddOns, s.closedDays, s.localSchemes, s.selfPayItems]).toEqual([
      [],
      [],
      [],
      [],
      [],
    ]);
  });

  it('an admin saves over the version read (a stale version is a conflict), audited, for the own facility only', async () => {
    const current = strip(await aAdmin.billing.settings.query());
    const settings: BillingSettings = {
      ...current,
      standards: ['1', '1', '2'],
      closedDays: ['2026-12-30', '2026-12-29'],
      selfPayItems: [{ id: 'medical-certificate', name: '診断書料', priceYen: 3300, taxable: true }],
      localSchemes: [{ payerNumber: '88132019', name: '子ども医療費助成', kind: 'full', yen: 0 }],
    };
    const saved = await aAdmin.billing.saveSettings.mutate({ expectedVersion: 0, settings });
    expect(saved).toMatchObject({
      version: 1,
      standards: ['1', '2'],
      closedDays: ['2026-12-29', '2026-12-30'],
    });
    expect(await aClerk.billing.settings.query()).toEqual(saved);
    // Someone else saved in between: the second save from version 0 is refused, nothing changes.
    expect(
      await errorCodeOf(aAdmin.billing.saveSettings.mutate({ expectedVersion: 0, settings: current })),
    ).toBe('CONFLICT');
    expect((await aClerk.billing.settings.query()).version).toBe(1);
    expect(
      (
        await aAdmin.billing.saveSettings.mutate({
          expectedVersion: 1,
          settings: { ...settings, standards: [] },
        })
      ).version,
    ).toBe(2);
    const events = await searchAudit(app.karte.db, a.facility.id, { limit: 50 });
    expect(events.filter((e) => e.action === 'save-billing-settings' && e.outcome === 'ok')).toHaveLength(2);
    // Facility B still has the defaults.
    expect((await bAdmin.billing.settings.query()).version).toBe(0);
    // Only an admin saves.
    expect(
      await errorCodeOf(aClerk.billing.saveSettings.mutate({ expectedVersion: 2, settings: current })),
    ).toBe('FORBIDDEN');
  });

  it('refuses hours out of order and duplicate ids with a Japanese message, writing nothing', async () => {
    const current = await aAdmin.billing.settings.query();
    const { version, ...settings } = current;
    const hours = settings.hours.map((d) => [...d]);
    hours[1] = [['12:30', '09:00']];
    const bad1 = aAdmin.billing.saveSettings.mutate({
      expectedVersion: version,
      settings: { ...settings, hours },
    });
    await expect(bad1).rejects.toThrow(/月曜日の診療時間は開始を終了より前に/);
    const item = { id: 'x', name: '文書料', priceYen: 1100, taxable: true };
    const bad2 = aAdmin.billing.saveSettings.mutate({
      expectedVersion: version,
      settings: { ...settings, selfPayItems: [item, { ...item, name: '別の文書料' }] },
    });
    await expect(bad2).rejects.toThrow(/自費項目のID「x」が重複/);
    expect(await aAdmin.billing.settings.query()).toEqual(current);
  });
});

describe('item search for the 会計', () => {
  it('finds 診療行為 by kana in any width or script, valid on the date, with points', async () => {
    expect(await tariffIsEmpty(app.karte.db)).toBe(true);
    const half = await aClerk.billing.searchItems.query({ q: 'ｼｮｼﾝﾘｮｳ', date: '2024-07-01' });
    expect(half.find((h) => h.code === '111000110')).toMatchObject({
      kind: 'procedure',
      name: '初診料',
      points: 291,
      priceYen: null,
    });
    const hira = await aClerk.billing.searchItems.query({ q: 'しょしんりょう', date: '2024-07-01' });
    expect(hira.map((h) => h.code)).toEqual(half.map((h) => h.code));
    // The bundled full file applies from 2024-06-01: nothing of it before.
    expect(await aClerk.billing.searchItems.query({ q: 'しょしんりょう', date: '2024-05-01' })).toEqual([]);
  });

  it('puts code matches first, finds drugs and materials with their price, at most 30', async () => {
    const byCode = await aClerk.billing.searchItems.query({ q: '11100', date: '2024-07-01' });
    expect(byCode.length).toBeGreaterThan(0);
    expect(byCode.every((h) => h.code.startsWith('11100'))).toBe(true);
    const many = await aClerk.billing.searchItems.query({ q: '錠', date: '2024-07-01', kinds: ['drug'] });
    expect(many).toHaveLength(30);
    expect(many.every((h) => h.kind === 'drug' && (h.priceYen ?? 0) > 0 && h.points === null)).toBe(true);
    const loxo = await aClerk.billing.searchItems.query({
      q: 'ろきそにん',
      date: '2025-01-10',
      kinds: ['drug'],
    });
    expect(loxo.some((h) => h.name.startsWith('ロキソニン'))).toBe(true);
    const material = await aClerk.billing.searchItems.query({
      q: 'ｶﾃｰﾃﾙ',
      date: '2024-07-01',
      kinds: ['material'],
    });
    expect(material.length).toBeGreaterThan(0);
    expect(material.every((h) => h.kind === 'material')).toBe(true);
  });

  it("offers the facility's own 自費 items, never another facility's", async () => {
    // The price list has names only (no reading): found by the name's text, or by its id.
    const hits = await aClerk.billing.searchItems.query({ q: '診断書', date: '2026-12-01' });
    expect(hits.find((h) => h.kind === 'selfPay')).toEqual({
      kind: 'selfPay',
      code: 'medical-certificate',
      name: '診断書料',
      points: null,
      priceYen: 3300,
      unit: '',
    });
    const byId = await aClerk.billing.searchItems.query({
      q: 'medical',
      date: '2026-12-01',
      kinds: ['selfPay'],
    });
    expect(byId.map((h) => h.code)).toEqual(['medical-certificate']);
    const b = await bAdmin.billing.searchItems.query({
      q: '診断書',
      date: '2026-12-01',
      kinds: ['selfPay'],
    });
    expect(b).toEqual([]);
  });
});

describe('会計セット', () => {
  it('are saved with the settings; a code not in the tariff valid today is refused, naming it', async () => {
    const { version, ...settings } = await aAdmin.billing.settings.query();
    expect(settings.sets).toEqual([]); // settings saved before sets existed read as none
    const blood = {
      id: 'blood',
      name: '採血',
      items: [
        { kind: 'procedure' as const, code: '160095710', count: 1 }, // 採血（静脈）B-V
        { kind: 'procedure' as const, code: '160008010', count: 1 }, // 末梢血液一般検査
      ],
    };
    const unknown = aAdmin.billing.saveSettings.mutate({
      expectedVersion: version,
      settings: {
        ...settings,
        sets: [
          { ...blood, items: [...blood.items, { kind: 'procedure' as const, code: '199999999', count: 1 }] },
        ],
      },
    });
    await expect(unknown).rejects.toThrow(/会計セット「採血」のコード 199999999 は本日有効な/);
    expect(await errorCodeOf(unknown)).toBe('BAD_REQUEST');
    const twice = aAdmin.billing.saveSettings.mutate({
      expectedVersion: version,
      settings: { ...settings, sets: [blood, { ...blood, id: 'blood-2' }] },
    });
    await expect(twice).rejects.toThrow(/会計セット「採血」が重複/);
    expect((await aAdmin.billing.settings.query()).version).toBe(version);

    const saved = await aAdmin.billing.saveSettings.mutate({
      expectedVersion: version,
      settings: { ...settings, sets: [blood] },
    });
    expect(saved.sets).toEqual([blood]);
    expect((await aClerk.billing.settings.query()).sets).toEqual([blood]);
    expect((await bAdmin.billing.settings.query()).sets).toEqual([]);
  });
});
