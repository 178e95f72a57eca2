import { describe, expect, it } from 'vitest';
import { bundledTariff, bundledVersions } from '../bundled';

// On the real bundled 支払基金 files (masters/ssk-2024-06): facts quoted in NOTES.md §1.1–1.3.
const tariff = bundledTariff();

describe('bundled masters', () => {
  it('s_ALL20240531 + s_20240621…s_20250901 hold 10,173 codes', () => {
    const versions = bundledVersions('procedure');
    expect(new Set(versions.map((v) => v.code)).size).toBe(10173);
  });

  it('初診料 111000110 is 291点 from 2024-06-01, not before the tariff starts', () => {
    expect(tariff.procedure('111000110', '2024-06-01')).toMatchObject({
      name: '初診料',
      points: 291,
      pointKind: 3,
      section: '110',
      kubun: 'A000',
      ageAddOns: [{ min: '00', max: '06', code: '111000370' }],
    });
    expect(tariff.procedure('111000110', '2024-05-31')).toBeUndefined();
  });

  it('111703370 keeps its code and 8点 while its name changes (NOTES §1.1)', () => {
    const at = (d: string) => tariff.procedure('111703370', d);
    expect(at('2024-06-01')?.name).toBe('医療ＤＸ推進体制整備加算（初診）');
    expect(at('2024-10-01')?.name).toBe('医療ＤＸ推進体制整備加算３（初診）');
    expect(at('2025-04-01')?.name).toBe('医療ＤＸ推進体制整備加算６（初診）');
    expect([at('2024-06-01'), at('2024-10-01'), at('2025-04-01')].map((p) => p?.points)).toEqual([8, 8, 8]);
    expect(at('2024-09-30')?.validTo).toBe('2024-09-30');
  });

  it('111703170 医療情報取得加算１ is 廃止 2024-11-30', () => {
    expect(tariff.procedure('111703170', '2024-11-30')?.name).toBe('医療情報取得加算１（初診）');
    expect(tariff.procedure('111703170', '2024-12-01')).toBeUndefined();
  });

  it('reads a drug price, its YJ and 一般名コード from y_', () => {
    expect(tariff.drug('620098801', '2024-06-01')).toMatchObject({
      name: 'ロキソニン錠６０ｍｇ',
      unit: '錠',
      priceYen: 10.1,
      form: 1,
      yjCode: '1149019F1560',
      genericCode: '1149019F1ZZZ',
    });
  });

  it('drugByYj: a YJ code to its drug; a 一般名コード to the cheapest drug valid that day', () => {
    expect(tariff.drugByYj('1149019F1560', '2024-06-01')?.code).toBe('620098801');
    const generic = tariff.drugByYj('1149019F1ZZZ', '2024-06-01');
    expect(generic?.genericCode).toBe('1149019F1ZZZ');
    expect(generic?.priceYen).toBeLessThan(10.1);
    expect(tariff.drugByYj('0000000X0ZZZ', '2024-06-01')).toBeUndefined();
  });

  it('drugByYj never picks a 長期収載品 "（選）" code (選定療養区分 2) while the plain code exists', () => {
    expect(tariff.drug('670000063', '2024-10-01')?.name).toBe('セレネース細粒１％（選）');
    expect(tariff.drugByYj('1179020C1191', '2024-10-01')?.code).toBe('620000063');
    expect(tariff.drugByYj('1179020C1ZZZ', '2024-10-01')?.code).not.toBe('670000063');
  });

  it('reads 特定器材 and コメント', () => {
    expect(tariff.material('700060000', '2024-06-01')).toMatchObject({
      priceKind: 1,
      priceYen: 76,
      unit: '枚',
    });
    expect(tariff.comment('820101319', '2024-07-01')?.name).toBe('口管強（Ｆ局）');
  });

  it('newestChange is the latest 変更年月日 of the bundled changes', () => {
    expect(tariff.newestChange() >= '2025-09-01').toBe(true);
  });
});
