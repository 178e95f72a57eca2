import { describe, expect, it } from 'vitest';
import { normalizeKubun } from './kubun';
import { chooseLimit, type LimitQuery } from './limits';
import { inForce, over70Limits, under70Limits } from './limitTables';

const q = (over: Partial<LimitQuery>): LimitQuery => ({
  date: '2025-05-01',
  elderly: false,
  ratio: 3,
  inpatient: false,
  manyTimes: false,
  turning75: false,
  publicKind: 'none',
  medicalYen: 1_000_000,
  ...over,
});
const yen = (over: Partial<LimitQuery>) => chooseLimit(q(over))?.yen;

describe('normalizeKubun', () => {
  it('reads labels, online codes and notes', () => {
    expect(normalizeKubun('A03')).toBe('ウ');
    expect(normalizeKubun('B01')).toBe('現役並みⅢ');
    expect(normalizeKubun('A06')).toBe('オ'); // オ（境）
    expect(normalizeKubun('B07')).toBe('低所得Ⅰ'); // 低所得Ⅰ（老福）
    expect(normalizeKubun('一般Ⅱ(後期)')).toBe('一般Ⅱ');
    expect(normalizeKubun('現役並みII')).toBe('現役並みⅡ');
    expect(normalizeKubun(' イ ')).toBe('イ');
    expect(normalizeKubun('constructor')).toBeUndefined();
    expect(normalizeKubun('')).toBeUndefined();
  });
});

describe('chooseLimit', () => {
  it('uses the 区分 formulas and 多数回', () => {
    expect(yen({ kubun: 'ア' })).toBe(252_600 + 1_580);
    expect(yen({ kubun: 'ア', manyTimes: true })).toBe(140_100);
    expect(yen({ kubun: 'エ' })).toBe(57_600);
    expect(yen({ kubun: 'オ', manyTimes: true })).toBe(24_600);
  });

  it('70+: the 外来特例 without 多数回, the 入院 limits with it', () => {
    expect(yen({ kubun: '一般', manyTimes: true })).toBe(18_000);
    expect(yen({ kubun: '一般', inpatient: true })).toBe(57_600);
    expect(yen({ kubun: '一般', inpatient: true, manyTimes: true })).toBe(44_400);
    expect(yen({ kubun: '低所得Ⅱ', inpatient: true })).toBe(24_600);
    expect(yen({ kubun: '低所得Ⅰ', inpatient: true })).toBe(15_000);
    expect(yen({ kubun: '現役並みⅡ', manyTimes: true })).toBe(93_000);
  });

  it('75歳到達月: fixed amounts and thresholds halved', () => {
    expect(yen({ kubun: '現役並みⅡ', turning75: true, inpatient: true, medicalYen: 336_000 })).toBe(84_270);
    expect(yen({ kubun: '一般', turning75: true })).toBe(9_000);
  });

  it('no 区分: none under 70; at 70+ 一般, or 現役並みⅢ when 3割', () => {
    expect(chooseLimit(q({}))).toBeNull();
    expect(yen({ elderly: true, ratio: 2 })).toBe(18_000);
    expect(yen({ elderly: true, ratio: 3, medicalYen: 873_000 })).toBe(252_910);
    expect(chooseLimit(q({ kubun: 'ウ', ratio: 0 }))).toBeNull(); // no insurance share
  });

  it('with 公費 (NOTES §3.3)', () => {
    expect(yen({ publicKind: 'welfare', kubun: 'ウ' })).toBe(35_400);
    expect(yen({ publicKind: 'other', kubun: 'ア' })).toBe(80_100 + 7_330);
    expect(yen({ publicKind: 'other' })).toBe(80_100 + 7_330);
    expect(yen({ publicKind: 'intractable', kubun: 'イ', manyTimes: true, medicalYen: 650_000 })).toBe(
      168_320,
    );
    expect(yen({ publicKind: 'welfare', kubun: '低所得Ⅰ' })).toBe(8_000);
    expect(yen({ publicKind: 'welfare', kubun: '低所得Ⅰ', inpatient: true })).toBe(15_000);
    expect(yen({ publicKind: 'other', kubun: '一般', inpatient: true })).toBe(57_600);
  });

  it('マル長 caps whatever else applies', () => {
    expect(yen({ maruchoCapYen: 20_000 })).toBe(20_000);
    expect(yen({ kubun: 'ウ', maruchoCapYen: 10_000 })).toBe(10_000);
    expect(yen({ kubun: '低所得Ⅰ', maruchoCapYen: 10_000 })).toBe(8_000);
  });

  it('tables are dated', () => {
    expect(inForce(under70Limits, '2014-12-31')).toBeUndefined();
    expect(inForce(under70Limits, '2015-01-01')?.ウ.manyTimesYen).toBe(44_400);
    expect(inForce(over70Limits, '2018-07-31')).toBeUndefined();
    expect(chooseLimit(q({ date: '2014-12-01', kubun: 'ウ' }))).toBeNull();
  });
});
