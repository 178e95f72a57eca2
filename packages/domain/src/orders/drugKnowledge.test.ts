import { describe, expect, it } from 'vitest';
import { type AllergyFacts, checkPrescription, type DrugFacts } from './checks';
import {
  classesOf,
  classNamed,
  type DoseLimit,
  type DrugClassEntry,
  doseFindings,
  mgPerUnit,
  usageSearchText,
} from './drugKnowledge';
import type { Rp } from './prescription';

// Products and 規格 as in the 薬価基準 master (drugs-mhlw-price-2025-07-16.csv).
const calonal: DrugFacts = {
  code: '1141007F2027',
  name: 'カロナール錠３００',
  ingredient: 'アセトアミノフェン',
  kind: '内用薬',
  spec: '３００ｍｇ１錠',
};
const amoxFine: DrugFacts = {
  code: '6131001C1210',
  name: 'サワシリン細粒１０％',
  ingredient: 'アモキシシリン水和物',
  kind: '内用薬',
  spec: '１００ｍｇ１ｇ',
};
const amoxCap: DrugFacts = {
  code: '6131001M2020',
  name: 'サワシリンカプセル２５０',
  ingredient: 'アモキシシリン水和物',
  kind: '内用薬',
  spec: '２５０ｍｇ１カプセル',
};
const ampicillin: DrugFacts = {
  code: '6131002M1147',
  name: 'ビクシリンカプセル２５０ｍｇ',
  ingredient: 'アンピシリン水和物',
  kind: '内用薬',
  spec: '２５０ｍｇ１カプセル',
};
const cefcapene: DrugFacts = {
  code: '6132016F1020',
  name: 'フロモックス錠１００ｍｇ',
  ingredient: 'セフカペン　ピボキシル塩酸塩水和物',
  kind: '内用薬',
  spec: '１００ｍｇ１錠',
};
const loxo: DrugFacts = {
  code: '1149019C1149',
  name: 'ロキソプロフェンＮａ細粒１０％',
  ingredient: 'ロキソプロフェンナトリウム水和物',
  kind: '内用薬',
  spec: '１０％１ｇ',
};
const facts = new Map([calonal, amoxFine, amoxCap, ampicillin, cefcapene, loxo].map((d) => [d.code, d]));

// As in dose-limits.csv (sources there).
const limits: DoseLimit[] = [
  {
    ingredient: 'アセトアミノフェン',
    kinds: ['内用薬'],
    adultMaxMgPerDay: 4000,
    childMgPerKgPerDay: 60,
    childMaxMgPerDay: 1500,
    note: '',
    source: 'カロナール錠 添付文書',
  },
  {
    ingredient: 'アモキシシリン',
    kinds: ['内用薬'],
    adultMaxMgPerDay: null,
    childMgPerKgPerDay: 90,
    childMaxMgPerDay: null,
    note: '',
    source: 'サワシリン 添付文書',
  },
  {
    ingredient: 'ロキソプロフェンナトリウム',
    kinds: ['内用薬'],
    adultMaxMgPerDay: 180,
    childMgPerKgPerDay: null,
    childMaxMgPerDay: null,
    note: '',
    source: 'ロキソニン錠 添付文書',
  },
];
const classes: DrugClassEntry[] = [
  { className: 'ペニシリン系', ingredient: 'アモキシシリン', source: 'サワシリン' },
  { className: 'ペニシリン系', ingredient: 'アンピシリン', source: 'ビクシリン' },
  { className: 'セフェム系', ingredient: 'セフカペン', source: 'フロモックス' },
  { className: 'NSAIDs', ingredient: 'ロキソプロフェン', source: 'ロキソニン' },
];

const TID = '1013044400000000'; // 1日3回朝昼夕食後
const perDay = (code: string) => (code === TID ? 3 : null);
const rpOf = (drug: DrugFacts, dose: number, unit: string, usageCode = TID): Rp => ({
  usageCode,
  usageText: '１日３回朝昼夕食後　服用',
  kind: 'oral',
  days: 5,
  times: null,
  drugs: [{ code: drug.code, generic: false, name: drug.name, dose, unit }],
});
const check = (rps: Rp[], ageYears: number | null, weightKg: number | null, allergies: AllergyFacts[] = []) =>
  checkPrescription({
    content: { rps },
    facts,
    active: [],
    allergies,
    rules: [],
    classes,
    doses: { limits, perDay, ageYears, weightKg },
  });

describe('mgPerUnit (規格 → mg per dose unit)', () => {
  it('reads tablets, capsules, powders in mg/g and %, syrups in %, and mg doses', () => {
    expect(mgPerUnit('３００ｍｇ１錠', 'TAB')).toBe(300);
    expect(mgPerUnit('２５０ｍｇ１カプセル', 'CAP')).toBe(250);
    expect(mgPerUnit('１００ｍｇ１ｇ', 'G')).toBe(100);
    expect(mgPerUnit('１０％１ｇ', 'G')).toBe(100);
    expect(mgPerUnit('５％１ｍＬ', 'ML')).toBe(50);
    expect(mgPerUnit('０．５ｇ１包', 'HO')).toBe(500);
    expect(mgPerUnit('１００ｍｇ１ｇ（レボフロキサシンとして）', 'G')).toBe(100);
    expect(mgPerUnit('何でも', 'MG')).toBe(1);
  });
  it('says nothing when the 規格 does not fit the unit or gives no amount', () => {
    expect(mgPerUnit('３００ｍｇ１錠', 'G')).toBeNull();
    expect(mgPerUnit('１錠', 'TAB')).toBeNull(); // 配合剤
    expect(mgPerUnit('１０％１ｇ', 'TAB')).toBeNull();
  });
});

describe('用量超過 (dose)', () => {
  it('adult: 1回量 × 回数 over the 1日最大量 is a finding; at the limit is not', () => {
    // ロキソプロフェン細粒10%: 0.6 g × 3 = 180 mg (limit), 1.2 g × 3 = 360 mg.
    expect(check([rpOf(loxo, 0.6, 'G')], 40, null)).toEqual([]);
    const over = check([rpOf(loxo, 1.2, 'G')], 40, null);
    expect(over).toEqual([
      expect.objectContaining({
        type: 'dose',
        key: 'dose:1149019:adult',
        message: 'ロキソプロフェンＮａ細粒１０％: 1日360mgは1日最大量180mgを超えています',
        source: 'ロキソニン錠 添付文書',
      }),
    ]);
    // カロナール錠300: 5錠 × 3 = 4500 mg > 4000; 4 錠 × 3 = 3600 is fine.
    expect(check([rpOf(calonal, 5, 'TAB')], 30, 60).map((f) => f.key)).toEqual(['dose:1141007:adult']);
    expect(check([rpOf(calonal, 4, 'TAB')], 30, 60)).toEqual([]);
  });

  it('a dose in mg counts as the ingredient itself', () => {
    expect(check([rpOf(loxo, 100, 'MG')], 50, null).map((f) => f.type)).toEqual(['dose']);
    expect(check([rpOf(loxo, 60, 'MG')], 50, null)).toEqual([]);
  });

  it('child: weight × mg/kg/日 decides, with the absolute limit', () => {
    // サワシリン細粒10%: 20 kg → 1800 mg/日. 6 g × 3 = 1800 mg fine; 7 g × 3 = 2100 mg over.
    expect(check([rpOf(amoxFine, 6, 'G')], 6, 20)).toEqual([]);
    const over = check([rpOf(amoxFine, 7, 'G')], 6, 20);
    expect(over.map((f) => [f.type, f.key])).toEqual([['dose', 'dose:6131001:child']]);
    expect(over[0]?.message).toContain('90mg/kg/日 × 20kg = 1800mg');
    // The same 2100 mg/日 is fine for a 30 kg child (2700 mg).
    expect(check([rpOf(amoxFine, 7, 'G')], 9, 30)).toEqual([]);
    // カロナール: 40 kg × 60 = 2400, but a child's 1日最大 is 1500 mg: 2 錠 × 3 = 1800 over.
    const capped = check([rpOf(calonal, 2, 'TAB')], 12, 40);
    expect(capped[0]?.message).toContain('1日最大1500mg');
  });

  it('child whose weight is unknown: a finding asks for the weight', () => {
    const f = check([rpOf(amoxCap, 1, 'CAP')], 4, null);
    expect(f).toEqual([expect.objectContaining({ type: 'dose', key: 'dose:6131001:weight' })]);
    expect(f[0]?.message).toContain('体重を記録してください');
  });

  it('an adult-only limit still applies to a child; 15 and over is an adult', () => {
    expect(check([rpOf(loxo, 1.2, 'G')], 10, 30).map((f) => f.key)).toEqual(['dose:1149019:adult']);
    // アモキシシリン has no adult limit: a 15-year-old is not checked by weight.
    expect(check([rpOf(amoxCap, 4, 'CAP')], 15, null)).toEqual([]);
  });

  it('no finding when the 用法 does not fix the 回数, or the drug has no row', () => {
    expect(check([rpOf(loxo, 5, 'G', '1050110000000000')], 40, null)).toEqual([]);
    expect(check([rpOf(cefcapene, 10, 'TAB')], 40, null)).toEqual([]);
    expect(
      doseFindings({
        drug: { ...loxo, spec: '１錠' },
        dose: 10,
        unit: 'TAB',
        perDay: 3,
        limits,
        ageYears: 40,
        weightKg: null,
      }),
    ).toEqual([]);
  });
});

describe('用量超過 with rows of dose-limits.csv', () => {
  // Rows as in dose-limits.csv; products and 規格 as in the 薬価基準 master.
  const amaryl = {
    code: '3961008F1020',
    name: 'アマリール１ｍｇ錠',
    ingredient: 'グリメピリド',
    kind: '内用薬',
    spec: '１ｍｇ１錠',
  };
  const norvasc = {
    code: '2171022F2025',
    name: 'ノルバスク錠５ｍｇ',
    ingredient: 'アムロジピンベシル酸塩',
    kind: '内用薬',
    spec: '５ｍｇ１錠',
  };
  const csvRows: DoseLimit[] = [
    {
      ingredient: 'グリメピリド',
      kinds: ['内用薬'],
      adultMaxMgPerDay: 6,
      childMgPerKgPerDay: null,
      childMaxMgPerDay: null,
      note: '',
      source: 'アマリール錠 添付文書「6. 用法及び用量」',
    },
    {
      ingredient: 'アムロジピンベシル酸塩',
      kinds: ['内用薬'],
      adultMaxMgPerDay: 10,
      childMgPerKgPerDay: null,
      childMaxMgPerDay: 5,
      note: '',
      source: 'ノルバスク錠/アムロジン錠 添付文書「6. 用法及び用量」「7. 用法及び用量に関連する注意」',
    },
  ];
  const find = (
    drug: typeof amaryl,
    dose: number,
    perDay: number,
    ageYears: number,
    weightKg: number | null,
  ) => doseFindings({ drug, dose, unit: 'TAB', perDay, limits: csvRows, ageYears, weightKg });

  it('adult: グリメピリド 1日最高6mg (3錠 × 2 is the limit, 4錠 × 2 is over)', () => {
    expect(find(amaryl, 3, 2, 60, null)).toEqual([]);
    expect(find(amaryl, 4, 2, 60, null)).toEqual([
      {
        key: 'dose:3961008:adult',
        message: 'アマリール１ｍｇ錠: 1日8mgは1日最大量6mgを超えています',
        source: 'アマリール錠 添付文書「6. 用法及び用量」',
      },
    ]);
  });

  it('child: アムロジピン 6歳以上の小児は1日5mgまで (no weight needed), an adult up to 10mg', () => {
    expect(find(norvasc, 1, 1, 10, null)).toEqual([]);
    const over = find(norvasc, 2, 1, 10, null);
    expect(over.map((f) => f.key)).toEqual(['dose:2171022:child']);
    expect(over[0]?.message).toContain('1日最大5mg');
    expect(find(norvasc, 2, 1, 40, null)).toEqual([]);
    expect(find(norvasc, 3, 1, 40, null).map((f) => f.key)).toEqual(['dose:2171022:adult']);
  });
});

describe('薬効分類 allergies', () => {
  const classAllergy = (substance: string): AllergyFacts => ({ substance, drugCode: null, category: 'drug' });

  it('classes by 成分名 with kana/width variants, and by code prefix', () => {
    expect(classesOf(cefcapene, classes).map((c) => c.className)).toEqual(['セフェム系']);
    expect(classesOf({ code: 'X', ingredient: 'ｱﾓｷｼｼﾘﾝ水和物' }, classes).map((c) => c.className)).toEqual([
      'ペニシリン系',
    ]);
    expect(classesOf({ code: 'X', ingredient: 'あもきししりん' }, classes)).toHaveLength(1);
    expect(classesOf(amoxCap, [{ className: 'P', ingredient: '6131', source: '' }])).toHaveLength(1);
    expect(classesOf(cefcapene, [{ className: 'P', ingredient: '6131', source: '' }])).toHaveLength(0);
    expect(classNamed('ﾍﾟﾆｼﾘﾝ系', classes)).toBe('ペニシリン系');
    expect(classNamed('ｎｓａｉｄｓ', classes)).toBe('NSAIDs');
    expect(classNamed('卵', classes)).toBeNull();
  });

  it('an allergy registered as a class matches every drug of the class, naming it', () => {
    const f = check(
      [rpOf(amoxCap, 1, 'CAP'), rpOf(ampicillin, 1, 'CAP'), rpOf(cefcapene, 1, 'TAB')],
      40,
      60,
      [classAllergy('ﾍﾟﾆｼﾘﾝ系')],
    );
    expect(f.filter((x) => x.type === 'allergy').map((x) => x.drugCode)).toEqual([
      amoxCap.code,
      ampicillin.code,
    ]);
    expect(f[0]?.message).toBe(
      'サワシリンカプセル２５０: 登録されたアレルギー（ペニシリン系）に該当します（アモキシシリン水和物はペニシリン系）',
    );
    // ペニシリン系 → セフェム系 is not assumed.
    expect(f.some((x) => x.drugCode === cefcapene.code)).toBe(false);
    // Food allergies never match a class.
    expect(
      check([rpOf(amoxCap, 1, 'CAP')], 40, 60, [{ ...classAllergy('ペニシリン系'), category: 'food' }]),
    ).toEqual([]);
  });

  it('a product allergy warns softly on other drugs of the same class only', () => {
    const byProduct: AllergyFacts = {
      substance: 'サワシリン',
      drugCode: amoxCap.code,
      category: 'drug',
      ingredient: amoxCap.ingredient,
    };
    const f = check([rpOf(amoxFine, 1, 'G'), rpOf(ampicillin, 1, 'CAP'), rpOf(cefcapene, 1, 'TAB')], 40, 60, [
      byProduct,
    ]);
    expect(f.map((x) => [x.type, x.drugCode])).toEqual([
      ['allergy', amoxFine.code], // same ingredient
      ['classAllergy', ampicillin.code], // same class
    ]);
    expect(f[1]?.message).toBe(
      'ビクシリンカプセル２５０ｍｇ: 登録されたアレルギー（サワシリン）と同じペニシリン系です（交差反応に注意）',
    );
    // Registered by name only (an ingredient): the same.
    const byName = check([rpOf(loxo, 0.6, 'G')], 40, null, [
      { substance: 'ジクロフェナク', drugCode: null, category: 'drug' },
    ]);
    expect(byName).toEqual([]); // ジクロフェナク is not in this test's class table
    const nsaid = check([rpOf(loxo, 0.6, 'G')], 40, null, [
      { substance: 'ロキソプロフェン', drugCode: null, category: 'drug' },
    ]);
    expect(nsaid.map((x) => x.type)).toEqual(['allergy']);
  });
});

describe('usageSearchText', () => {
  it('folds the 用法名称 and adds its kana reading', () => {
    expect(usageSearchText('１日３回朝昼夕食後　服用')).toBe(
      '1日3回朝昼夕食後服用|1ニチ3カイアサヒルユウショクゴフクヨウ',
    );
    expect(usageSearchText('テスト')).toBe('テスト');
  });
});
