import { describe, expect, it } from 'vitest';
import { checkPrescription, type DrugFacts, type InteractionRule, unresolvedFindings } from './checks';
import type { Rp } from './prescription';

// Products as in the 薬価基準 master (drugs-mhlw-price-2025-07-16.csv).
const loxonin: DrugFacts = {
  code: '1149019F1560',
  name: 'ロキソニン錠６０ｍｇ',
  ingredient: 'ロキソプロフェンナトリウム水和物',
  kind: '内用薬',
};
const loxoGeneric: DrugFacts = {
  code: '1149019F1013',
  name: 'ロキソプロフェンナトリウム６０ｍｇ錠',
  ingredient: 'ロキソプロフェンナトリウム水和物',
  kind: '内用薬',
};
const halcion: DrugFacts = {
  code: '1124007F1020',
  name: 'ハルシオン０．１２５ｍｇ錠',
  ingredient: 'トリアゾラム',
  kind: '内用薬',
};
const itrizole: DrugFacts = {
  code: '6290004M1029',
  name: 'イトリゾールカプセル５０',
  ingredient: 'イトラコナゾール',
  kind: '内用薬',
};
const warfarin: DrugFacts = {
  code: '3332001F1016',
  name: 'ワルファリンカリウム錠',
  ingredient: 'ワルファリンカリウム',
  kind: '内用薬',
};
const floridGel: DrugFacts = {
  code: '6290003X1039',
  name: 'フロリードゲル経口用２％',
  ingredient: 'ミコナゾール',
  kind: '内用薬',
};
const floridCream: DrugFacts = {
  code: '2655702N1060',
  name: 'フロリードＤクリーム１％',
  ingredient: 'ミコナゾール硝酸塩',
  kind: '外用薬',
};
const facts = new Map(
  [loxonin, loxoGeneric, halcion, itrizole, warfarin, floridGel, floridCream].map((d) => [d.code, d]),
);

const rules: InteractionRule[] = [
  {
    aIngredient: 'トリアゾラム',
    aKinds: ['内用薬'],
    bIngredient: 'イトラコナゾール',
    bKinds: [],
    level: '併用禁忌',
    reason: 'トリアゾラムの血中濃度が上昇',
    source: 'ハルシオン錠 添付文書「併用禁忌」',
  },
  {
    aIngredient: 'ワルファリンカリウム',
    aKinds: ['内用薬'],
    bIngredient: '6290003',
    bKinds: [],
    level: '併用禁忌',
    reason: '出血',
    source: 'ワーファリン錠 添付文書「併用禁忌」',
  },
];

const rpOf = (...drugs: DrugFacts[]): Rp => ({
  usageCode: '1013044400000000',
  usageText: '１日３回朝昼夕食後　服用',
  kind: 'oral',
  days: 7,
  times: null,
  drugs: drugs.map((d) => ({ code: d.code, generic: false, name: d.name, dose: 1, unit: 'TAB' })),
});

const run = (rps: Rp[], extra: Partial<Parameters<typeof checkPrescription>[0]> = {}) =>
  checkPrescription({ content: { rps }, facts, active: [], allergies: [], rules, ...extra });

describe('prescription checks', () => {
  it('finds the same ingredient (first 7 characters) twice in one prescription', () => {
    const f = run([rpOf(loxonin), rpOf(loxoGeneric)]);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({
      type: 'duplicate',
      key: 'duplicate:1149019:this',
      drugCode: '1149019F1013',
    });
  });

  it('finds the same ingredient already active from another prescription', () => {
    const f = run([rpOf(loxoGeneric)], { active: [{ ...loxonin, since: '2026-11-20' }] });
    expect(f.map((x) => x.key)).toEqual(['duplicate:1149019:active']);
    expect(f[0]?.message).toContain('2026-11-20');
  });

  it('finds a 併用禁忌 pair in either order, also against active drugs, with its source', () => {
    expect(run([rpOf(itrizole, halcion)]).map((x) => x.type)).toEqual(['interaction']);
    const f = run([rpOf(itrizole)], { active: [{ ...halcion, since: '2026-11-01' }] });
    expect(f).toHaveLength(1);
    expect(f[0]?.source).toBe('ハルシオン錠 添付文書「併用禁忌」');
    expect(f[0]?.message).toContain('服用中');
  });

  it('matches a code-prefix side exactly: the oral gel, not the cream of the same ingredient', () => {
    expect(run([rpOf(warfarin, floridGel)]).map((x) => x.type)).toEqual(['interaction']);
    expect(run([rpOf(warfarin, floridCream)])).toEqual([]);
  });

  it('finds a 薬剤禁忌 by drug code (same ingredient) and an allergy by substance name', () => {
    const byCode = run([rpOf(loxoGeneric)], {
      allergies: [{ category: 'drug', drugCode: '1149019F1560', substance: '' }],
    });
    expect(byCode.map((x) => x.type)).toEqual(['allergy']);
    const byName = run([rpOf(loxonin)], {
      allergies: [{ category: 'drug', drugCode: null, substance: 'ろきそぷろふぇん' }],
    });
    expect(byName.map((x) => x.type)).toEqual(['allergy']);
    const food = run([rpOf(loxonin)], {
      allergies: [{ category: 'food', drugCode: null, substance: 'ロキソ' }],
    });
    expect(food).toEqual([]);
  });

  it('keeps a finding open until an override with a reason names its key', () => {
    const f = run([rpOf(loxonin), rpOf(loxoGeneric)]);
    expect(unresolvedFindings(f, [])).toHaveLength(1);
    expect(unresolvedFindings(f, [{ key: 'duplicate:1149019:this', reason: ' ' }])).toHaveLength(1);
    expect(unresolvedFindings(f, [{ key: 'duplicate:1149019:this', reason: '頓用分を別に処方' }])).toEqual(
      [],
    );
  });

  it('the same 成分名 in another dosage form is a duplicate too (カロナール坐剤 + アセトアミノフェン 一般名 錠), naming both', () => {
    const suppository: DrugFacts = {
      code: '1141700J2050',
      name: 'カロナール坐剤１００',
      ingredient: 'アセトアミノフェン',
      kind: '外用薬',
    };
    const genericTablet: DrugFacts = {
      code: '1141007F1ZZZ',
      name: '【般】アセトアミノフェン２００ｍｇ１錠',
      ingredient: 'アセトアミノフェン',
      kind: '内用薬',
    };
    const all = new Map([...facts, [suppository.code, suppository], [genericTablet.code, genericTablet]]);
    const both = checkPrescription({
      content: {
        rps: [rpOf(genericTablet), { ...rpOf(suppository), kind: 'asNeeded', days: null, times: 5 }],
      },
      facts: all,
      active: [],
      allergies: [],
      rules: [],
    });
    expect(both).toHaveLength(1);
    expect(both[0]).toMatchObject({ type: 'duplicate', drugCode: suppository.code });
    expect(both[0]?.message).toContain('カロナール坐剤１００');
    expect(both[0]?.message).toContain('【般】アセトアミノフェン２００ｍｇ１錠');
    // The key does not depend on the order the drugs were entered in (an override given stays valid).
    const reversed = checkPrescription({
      content: { rps: [rpOf(suppository), rpOf(genericTablet)] },
      facts: all,
      active: [],
      allergies: [],
      rules: [],
    });
    expect(reversed.map((f) => f.key)).toEqual(both.map((f) => f.key));
    // Already being taken in another form: a duplicate with what is active.
    const taking = checkPrescription({
      content: { rps: [rpOf(genericTablet)] },
      facts: all,
      active: [{ ...suppository, since: '2026-11-20' }],
      allergies: [],
      rules: [],
    });
    expect(taking).toHaveLength(1);
    expect(taking[0]?.message).toContain('カロナール坐剤１００');
    // A different ingredient stays quiet; an unchanged key for the same 7 characters.
    expect(
      checkPrescription({
        content: { rps: [rpOf(genericTablet, halcion)] },
        facts: all,
        active: [],
        allergies: [],
        rules: [],
      }),
    ).toEqual([]);
    expect(
      checkPrescription({
        content: { rps: [rpOf(loxonin, loxoGeneric)] },
        facts,
        active: [],
        allergies: [],
        rules: [],
      }).map((f) => f.key),
    ).toEqual(['duplicate:1149019:this']);
  });
});
