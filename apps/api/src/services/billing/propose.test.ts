import type { DrugItem, ProcedureItem, Tariff } from '@karte/billing';
import type { BillingSettings, PrescriptionContent, Rp } from '@karte/domain';
import { describe, expect, it } from 'vitest';
import { holidayName, timeBandOf } from './clock';
import { type ProposalInput, propose } from './propose';

// A tiny tariff: only what a rule reads (validity by date, 年齢加算, 一般名処方加算対象区分).
function proc(code: string, extra: Partial<ProcedureItem> = {}): ProcedureItem {
  return {
    code,
    name: `item ${code}`,
    fullName: '',
    kana: '',
    unit: '',
    pointKind: 3,
    points: 1,
    inOut: 0,
    section: '12',
    bundleGroup: 0,
    maxCount: 0,
    addOnCode: '',
    addOnSeq: '',
    ageMin: '',
    ageMax: '',
    timeAddOn: '',
    judgeKind: 0,
    judgeGroup: 0,
    outpatientMgmt: 0,
    standards: [],
    kubun: '',
    ageAddOns: [],
    validFrom: '2024-06-01',
    validTo: null,
    ...extra,
  };
}
const procedures: Record<string, ProcedureItem> = {
  '111000110': proc('111000110', { ageAddOns: [{ min: '', max: '06', code: '111000370' }] }),
  '112007410': proc('112007410', { ageAddOns: [{ min: '', max: '06', code: '112000970' }] }),
  '111703270': proc('111703270'),
  '112708970': proc('112708970'),
  '111703670': proc('111703670', { name: '医療ＤＸ推進体制整備加算１', validFrom: '2025-04-01' }),
  '120004270': proc('120004270'),
  '111012470': proc('111012470', { name: '夜間・早朝等加算（初診）' }),
  '112015570': proc('112015570', { name: '夜間・早朝等加算（再診）' }),
  '120002470': proc('120002470'),
  '120002170': proc('120002170', { validTo: '2026-05-31' }),
};
const drugs: Record<string, Partial<DrugItem>> = {
  '1149019F1560': { code: '620098801', genericAddOn: '2' }, // ロキソニン錠60mg: has a generic
  '1149019F1ZZZ': { code: '620098801', genericAddOn: '2' },
  '2325003F1020': { code: '610453085', genericAddOn: '0' }, // no generic
  '2329021F1030': { code: '620452801', genericAddOn: '1' },
};
const tariff: Pick<Tariff, 'procedure' | 'drugByYj'> = {
  procedure: (code, date) => {
    const p = procedures[code];
    return p && p.validFrom <= date && (!p.validTo || date <= p.validTo) ? p : undefined;
  },
  drugByYj: (code) => drugs[code] as DrugItem | undefined,
};

const weekdays: BillingSettings['hours'] = [
  [],
  [
    ['09:00', '12:30'],
    ['14:00', '18:00'],
  ],
  [['09:00', '18:00']],
  [['09:00', '18:00']],
  [['09:00', '18:00']],
  [['09:00', '18:00']],
  [['09:00', '12:00']],
];
const settings: ProposalInput['settings'] = {
  hours: weekdays,
  closedDays: ['2026-11-25'],
  standards: [],
  facilityAddOns: [],
};

const base: ProposalInput = {
  date: '2026-11-24', // 火
  checkInTime: '10:00',
  birthDate: '1980-05-05',
  earlierVisitDates: ['2026-11-10'],
  earlierBills: [],
  prescriptions: [],
  eligibilityConfirmed: false,
  settings,
  tariff,
};
const codesOf = (input: ProposalInput) => propose(input).lines.map((l) => l.item.code);

function rp(
  kind: Rp['kind'],
  drugsIn: { code: string; generic?: boolean; dose?: number }[],
  extra: Partial<Rp> = {},
): Rp {
  return {
    usageCode:
      kind === 'oral' ? '1013044400000000' : kind === 'asNeeded' ? '1050710000000000' : '2B7N000000000000',
    usageText: 'x',
    kind,
    days: kind === 'oral' ? 7 : null,
    times: kind === 'asNeeded' ? 5 : null,
    drugs: drugsIn.map((d) => ({
      code: d.code,
      generic: d.generic ?? false,
      name: `薬 ${d.code}`,
      dose: d.dose ?? 1,
      unit: 'TAB',
    })),
    ...extra,
  };
}
const rx = (
  place: 'outside' | 'inside',
  rps: Rp[],
  extra: Partial<PrescriptionContent> = {},
): PrescriptionContent => ({
  place,
  rps,
  overrides: [],
  ...extra,
});

describe('初診 / 再診', () => {
  it('proposes 初診 with no earlier visit here, with the reason', () => {
    const p = propose({ ...base, earlierVisitDates: [] });
    expect(p.visitKind).toEqual({ kind: 'first', reason: '当院での受診歴がないため初診' });
    expect(p.lines.map((l) => l.item.code)).toEqual(['111000110']);
  });
  it('proposes 再診 + 外来管理加算 after an earlier visit, naming its date', () => {
    const p = propose(base);
    expect(p.visitKind.kind).toBe('revisit');
    expect(p.visitKind.reason).toContain('2026-11-10');
    expect(p.lines.map((l) => l.item.code)).toEqual(['112007410', '112011010']);
    expect(p.lines.every((l) => l.reason.length > 0)).toBe(true);
  });
  it('counts earlier bills as history, and ignores visits of later dates', () => {
    expect(propose({ ...base, earlierVisitDates: ['2026-12-01'] }).visitKind.kind).toBe('first');
    expect(
      propose({ ...base, earlierVisitDates: [], earlierBills: [{ visitDate: '2026-11-01', codes: [] }] })
        .visitKind.kind,
    ).toBe('revisit');
  });
  it('proposes 初診 when the last visit here is a month or more ago (任意に中止し1月以上経過), naming it', () => {
    const after = (last: string, date: string) =>
      propose({ ...base, date, earlierVisitDates: [last] }).visitKind;
    const p = after('2026-10-24', '2026-11-24');
    expect(p.kind).toBe('first');
    expect(p.reason).toContain('2026-10-24');
    expect(p.reason).toContain('1月以上');
    expect(after('2026-10-25', '2026-11-24')).toMatchObject({ kind: 'revisit' });
    // Across a year, and at a month's end (no 2/31: the month has passed at its last day).
    expect(after('2025-12-24', '2026-01-24').kind).toBe('first');
    expect(after('2025-12-25', '2026-01-24').kind).toBe('revisit');
    expect(after('2026-01-31', '2026-02-28').kind).toBe('first');
    expect(after('2026-01-31', '2026-02-27').kind).toBe('revisit');
    expect(after('2026-03-31', '2026-04-30').kind).toBe('first');
    expect(after('2026-03-31', '2026-04-29').kind).toBe('revisit');
    // The lines follow the proposed kind; the clerk can still switch.
    expect(codesOf({ ...base, earlierVisitDates: ['2026-10-24'] })[0]).toBe('111000110');
    expect(propose({ ...base, earlierVisitDates: ['2026-10-24'] }, 'revisit').lines[0]?.item.code).toBe(
      '112007410',
    );
  });
  it('follows the clerk when the kind is switched', () => {
    expect(propose(base, 'first').lines[0]?.item.code).toBe('111000110');
    expect(propose(base, 'none').lines).toEqual([]);
  });
});

describe('time add-ons', () => {
  it('knows Sundays, national holidays (振替休日 too) and 12/29–1/3', () => {
    expect(holidayName('2026-11-22')).toBe('日曜日');
    expect(holidayName('2026-11-23')).toBe('勤労感謝の日');
    expect(holidayName('2026-05-06')).toContain('振替休日');
    expect(holidayName('2026-12-30')).toContain('年末年始');
    expect(holidayName('2027-01-03')).not.toBeNull(); // a Sunday and 年始
    expect(holidayName('2026-11-24')).toBeNull();
  });
  it('深夜 22:00–6:00, 時間外 outside the posted hours or on a closed day, none within', () => {
    expect(timeBandOf('2026-11-24', '22:00', settings).band).toBe('lateNight');
    expect(timeBandOf('2026-11-24', '05:59', settings).band).toBe('lateNight');
    expect(timeBandOf('2026-11-24', '06:00', settings).band).toBe('afterHours');
    expect(timeBandOf('2026-11-24', '18:00', settings).band).toBe('afterHours');
    expect(timeBandOf('2026-11-24', '17:59', settings).band).toBeNull();
    expect(timeBandOf('2026-11-23', '10:00', settings).band).toBe('holiday'); // 月 but 勤労感謝の日
    expect(timeBandOf('2026-11-30', '13:00', settings).band).toBe('afterHours'); // 月 昼休み
    expect(timeBandOf('2026-11-25', '10:00', settings).band).toBe('afterHours'); // 休診日
    expect(timeBandOf('2026-11-28', '13:00', settings).band).toBe('afterHours'); // 土 午後
  });
  it('inside the posted hours: no 時間外/休日/深夜 加算', () => {
    const sundays: BillingSettings['hours'] = [[['09:00', '12:00']], ...weekdays.slice(1)];
    expect(timeBandOf('2026-11-22', '10:00', { ...settings, hours: sundays }).band).toBe('nightEarly');
    const late: BillingSettings['hours'] = weekdays.map((p, i) => (i === 2 ? [['09:00', '22:30']] : p));
    expect(timeBandOf('2026-11-24', '22:10', { ...settings, hours: late }).band).toBe('nightEarly');
    expect(timeBandOf('2026-11-24', '22:40', { ...settings, hours: late }).band).toBe('lateNight');
    expect(timeBandOf('2026-11-24', '10:00', { ...settings, hours: late }).band).toBeNull();
    const early: BillingSettings['hours'] = weekdays.map((p, i) => (i === 2 ? [['07:00', '18:00']] : p));
    expect(timeBandOf('2026-11-24', '07:30', { ...settings, hours: early }).band).toBe('nightEarly');
    expect(timeBandOf('2026-11-24', '08:00', { ...settings, hours: early }).band).toBeNull();
    const saturday: BillingSettings['hours'] = weekdays.map((p, i) => (i === 6 ? [['09:00', '15:00']] : p));
    expect(timeBandOf('2026-11-28', '13:00', { ...settings, hours: saturday }).band).toBe('nightEarly');
    expect(timeBandOf('2026-11-28', '11:00', { ...settings, hours: saturday }).band).toBeNull();
  });
  it('proposes 夜間・早朝等加算 (not 休日/深夜) inside the posted hours, where the item is valid', () => {
    const sundays: BillingSettings['hours'] = [[['09:00', '12:00']], ...weekdays.slice(1)];
    const sunday = { ...base, date: '2026-11-22', settings: { ...settings, hours: sundays } };
    const p = propose({ ...sunday, earlierVisitDates: [] });
    expect(p.lines.map((l) => l.item.code)).toEqual(['111000110', '111012470']);
    expect(p.lines[1]?.reason).toContain('夜間・早朝等加算');
    expect(p.lines[1]?.reason).toContain('日曜日');
    const late: BillingSettings['hours'] = weekdays.map((p, i) => (i === 2 ? [['09:00', '22:30']] : p));
    const night = { ...base, checkInTime: '22:10', settings: { ...settings, hours: late } };
    const codes = codesOf(night);
    expect(codes).not.toContain('112001310');
    expect(codes).toContain('112015570');
    // Before the item is valid in the (mock) tariff: nothing proposed.
    const after = codesOf({ ...night, date: '2024-05-28', earlierVisitDates: ['2024-05-20'] });
    expect(after).not.toContain('112015570');
    expect(after).not.toContain('112001310');
    // With 乳幼児加算 (a different 注加算通番), not in its place.
    const child = codesOf({ ...night, birthDate: '2023-01-01' });
    expect(child).toEqual(expect.arrayContaining(['112000970', '112015570']));
  });
  it('outside the posted hours: 深夜 before 休日, both before 時間外', () => {
    expect(timeBandOf('2026-11-22', '23:00', settings).band).toBe('lateNight');
    expect(timeBandOf('2026-11-22', '10:00', settings).band).toBe('holiday');
  });
  it('proposes 再診 時間外 / 休日 / 深夜 for an adult', () => {
    expect(codesOf({ ...base, checkInTime: '19:00' })).toContain('112001110');
    expect(codesOf({ ...base, date: '2026-11-22' })).toContain('112001210');
    expect(codesOf({ ...base, checkInTime: '23:30' })).toContain('112001310');
  });
  it('proposes 初診 時間外 for an adult', () => {
    expect(codesOf({ ...base, earlierVisitDates: [], checkInTime: '19:00' })).toEqual([
      '111000110',
      '111000570',
    ]);
  });
  it('uses the 乳幼児 time add-on under 6, in place of 乳幼児加算', () => {
    const child = { ...base, birthDate: '2023-01-01' };
    const codes = codesOf({ ...child, checkInTime: '19:00' });
    expect(codes).toContain('112014770');
    expect(codes).not.toContain('112000970');
    expect(codesOf({ ...child, earlierVisitDates: [], date: '2026-11-22' })).toContain('111012070');
    expect(codesOf({ ...child, earlierVisitDates: [], checkInTime: '02:00' })).toContain('111012170');
  });
});

describe('乳幼児加算', () => {
  it('takes the base item’s age add-on under 6, none from 6', () => {
    expect(codesOf({ ...base, birthDate: '2021-01-01' })).toContain('112000970');
    expect(codesOf({ ...base, birthDate: '2021-01-01', earlierVisitDates: [] })).toContain('111000370');
    expect(codesOf({ ...base, birthDate: '2020-11-24' })).not.toContain('112000970'); // 6 today
  });
});

describe('医療情報取得加算', () => {
  // Before its abolition in 2026-06 (a Tuesday).
  const online = {
    ...base,
    date: '2026-03-24',
    earlierVisitDates: ['2026-03-10'],
    eligibilityConfirmed: true,
  };
  it('only when eligibility was confirmed online', () => {
    expect(codesOf({ ...online, eligibilityConfirmed: false })).not.toContain('112708970');
    expect(codesOf(online)).toContain('112708970');
    expect(codesOf({ ...online, earlierVisitDates: [] })).toContain('111703270');
  });
  it('再診: 3月に1回 over the calendar-month window', () => {
    const billed = (visitDate: string) => ({
      ...online,
      earlierBills: [{ visitDate, codes: ['112708970'] }],
    });
    expect(codesOf(billed('2026-01-15'))).not.toContain('112708970'); // Jan–Mar window
    expect(codesOf(billed('2025-12-31'))).toContain('112708970');
  });
  it('初診: 月1回', () => {
    const first = { ...online, earlierVisitDates: [] };
    const billed = (visitDate: string) => ({ ...first, earlierBills: [{ visitDate, codes: ['111703270'] }] });
    // An earlier bill makes the visit a 再診; force 初診 as the clerk would.
    expect(propose(billed('2026-03-02'), 'first').lines.map((l) => l.item.code)).not.toContain('111703270');
    expect(propose(billed('2026-02-27'), 'first').lines.map((l) => l.item.code)).toContain('111703270');
  });
  it('not after its abolition in 2026-06', () => {
    expect(codesOf({ ...online, date: '2026-06-02', earlierVisitDates: [] })).not.toContain('111703270');
  });
});

describe('facility add-ons', () => {
  const withDx = { ...base, earlierVisitDates: [], settings: { ...settings, facilityAddOns: ['111703670'] } };
  it('proposes a 届出 add-on valid on the date, once a month', () => {
    expect(codesOf(withDx)).toContain('111703670');
    const again = { ...withDx, earlierBills: [{ visitDate: '2026-11-02', codes: ['111703670'] }] };
    expect(propose(again, 'first').lines.map((l) => l.item.code)).not.toContain('111703670');
  });
  it('not before the item is valid, and not a 初診 add-on on a 再診', () => {
    expect(codesOf({ ...withDx, date: '2025-03-31' })).not.toContain('111703670');
    expect(codesOf({ ...withDx, earlierVisitDates: ['2026-11-10'] })).not.toContain('111703670');
  });
});

describe('院外処方', () => {
  const outsideRx = [
    rx('outside', [rp('oral', [{ code: '1149019F1ZZZ', generic: true }, { code: '2325003F1020' }])]),
  ];
  it('proposes 処方箋料', () => {
    expect(codesOf({ ...base, prescriptions: outsideRx })).toContain('120002910');
  });
  it('uses the 7種類以上 variant for seven oral drugs, and the リフィル variant', () => {
    const seven = Array.from({ length: 7 }, (_, i) => ({ code: `11111${i}F1020ZZ`.slice(0, 12) }));
    expect(codesOf({ ...base, prescriptions: [rx('outside', [rp('oral', seven)])] })).toContain('120002710');
    expect(
      codesOf({ ...base, prescriptions: [rx('outside', outsideRx[0]?.rps ?? [], { refill: 2 })] }),
    ).toContain('120005010');
  });
  it('一般名処方加算 1 when every drug with a generic (2品目以上) is 一般名, 2 when some, none without the 届出', () => {
    const gen = { ...base, settings: { ...settings, facilityAddOns: ['120004270'] } };
    const two = [
      rx('outside', [
        rp('oral', [
          { code: '1149019F1ZZZ', generic: true },
          { code: '2329021F1030', generic: true },
          { code: '2325003F1020' },
        ]),
      ]),
    ];
    expect(codesOf({ ...gen, prescriptions: two })).toContain('120004270');
    const mixed = [
      rx('outside', [rp('oral', [{ code: '1149019F1ZZZ', generic: true }, { code: '2329021F1030' }])]),
    ];
    const codes = codesOf({ ...gen, prescriptions: mixed });
    expect(codes).toContain('120003570');
    expect(codes).not.toContain('120004270');
    const none = [rx('outside', [rp('oral', [{ code: '1149019F1560' }])])];
    expect(codesOf({ ...gen, prescriptions: none })).not.toContain('120003570');
    expect(codesOf({ ...base, prescriptions: outsideRx })).not.toContain('120004270');
  });
  it('一般名処方加算 2 at most for a single drug with a generic, even when written by 一般名', () => {
    const gen = { ...base, settings: { ...settings, facilityAddOns: ['120004270'] } };
    const p = propose({ ...gen, prescriptions: outsideRx });
    const codes = p.lines.map((l) => l.item.code);
    expect(codes).toContain('120003570');
    expect(codes).not.toContain('120004270');
    expect(p.lines.find((l) => l.item.code === '120003570')?.reason).toContain('1品目');
    // The same drug in two RPs is still one 品目.
    const twice = [
      rx('outside', [
        rp('oral', [{ code: '1149019F1ZZZ', generic: true }]),
        rp('asNeeded', [{ code: '1149019F1ZZZ', generic: true }]),
      ]),
    ];
    expect(codesOf({ ...gen, prescriptions: twice })).not.toContain('120004270');
  });
});

describe('処方の乳幼児加算 (3歳未満)', () => {
  const oral = [rp('oral', [{ code: '1149019F1560' }])];
  it('処方箋料 乳幼児加算 under 3 for 院外, not from 3', () => {
    const p = propose({ ...base, birthDate: '2024-01-01', prescriptions: [rx('outside', oral)] });
    const line = p.lines.find((l) => l.item.code === '120002470');
    expect(line?.reason).toContain('乳幼児加算');
    expect(line?.reason).toContain('2歳');
    expect(codesOf({ ...base, birthDate: '2023-11-24', prescriptions: [rx('outside', oral)] })).not.toContain(
      '120002470',
    ); // 3 today
    expect(codesOf({ ...base, birthDate: '2023-11-25', prescriptions: [rx('outside', oral)] })).toContain(
      '120002470',
    );
  });
  it('処方料 乳幼児加算 for 院内, only while the item is valid on the date', () => {
    const inside = { ...base, birthDate: '2025-01-01', prescriptions: [rx('inside', oral)] };
    expect(codesOf({ ...inside, date: '2026-05-26', earlierVisitDates: ['2026-05-20'] })).toContain(
      '120002170',
    );
    expect(codesOf(inside)).not.toContain('120002170'); // the mock item ends 2026-05-31
    expect(codesOf({ ...base, prescriptions: [rx('inside', oral)] })).not.toContain('120002170');
  });
});

describe('院内処方', () => {
  it('proposes 処方料, 調剤料 (内服 and 外用) and drug lines with amount per day × days', () => {
    const p = propose({
      ...base,
      prescriptions: [
        rx('inside', [
          rp('oral', [{ code: '1149019F1560', dose: 1 }]),
          rp('external', [{ code: '2649734S1020', dose: 5 }]),
          rp('asNeeded', [{ code: '1149019F1560', dose: 1 }]),
        ]),
      ],
    });
    const codes = p.lines.map((l) => l.item.code);
    expect(codes).toEqual(expect.arrayContaining(['120001210', '120000710', '120001010']));
    const drugsOut = p.lines.filter((l) => l.item.kind === 'drug').map((l) => l.item);
    // 2649734S1020 is not in the (mock) tariff: no line for it (pricing would fail), a warning instead.
    expect(drugsOut).toEqual([
      { kind: 'drug', code: '620098801', amount: 3, days: 7, rp: 1, source: 'proposed' }, // 1錠 × 毎食後 3回
      { kind: 'drug', code: '620098801', amount: 1, days: 5, rp: 3, source: 'proposed' },
    ]);
    expect(p.lines.every((l) => l.reason.length > 0)).toBe(true);
  });
  it('skips a 院内 drug not in the tariff on the date, with a warning naming it', () => {
    const p = propose({
      ...base,
      prescriptions: [rx('inside', [rp('external', [{ code: '2649734S1020', dose: 5 }])])],
    });
    expect(p.lines.filter((l) => l.item.kind === 'drug')).toEqual([]);
    expect(p.lines.map((l) => l.item.code)).toEqual(expect.arrayContaining(['120001210', '120001010']));
    expect(p.warnings).toHaveLength(1);
    expect(p.warnings[0]).toContain('薬 2649734S1020');
    expect(p.warnings[0]).toContain('YJ 2649734S1020');
    expect(p.warnings[0]).toContain('手入力');
    expect(propose(base).warnings).toEqual([]);
  });
  it('uses the 7種類以上 処方料 for seven oral drugs', () => {
    const seven = Array.from({ length: 7 }, (_, i) => ({ code: `2222${i}00F1020` }));
    expect(codesOf({ ...base, prescriptions: [rx('inside', [rp('oral', seven)])] })).toContain('120002610');
  });
});
