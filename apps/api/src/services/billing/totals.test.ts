import { describe, expect, it } from 'vitest';
import { sectionLabels, sectionOf } from './totals';

describe('領収証 区分 of a line', () => {
  it('follows the 区分番号 letter when the master gives one', () => {
    expect(sectionOf('12', 'A001')).toBe('初・再診料');
    expect(sectionOf('13', 'B001-3')).toBe('医学管理等');
    expect(sectionOf('80', 'H001')).toBe('リハビリテーション'); // 集計先 その他, but 第7部
    expect(sectionOf('80', 'I002')).toBe('精神科専門療法');
    expect(sectionOf('80', 'N000')).toBe('病理診断');
    expect(sectionOf('60', 'D007')).toBe('検査');
  });
  it('falls back on the 2-digit 集計先 (drugs and materials have no 区分番号)', () => {
    expect(sectionOf('21', '')).toBe('投薬');
    expect(sectionOf('23', '')).toBe('投薬');
    expect(sectionOf('32', '')).toBe('注射');
    expect(sectionOf('40', '')).toBe('処置');
    expect(sectionOf('70', '')).toBe('画像診断');
    expect(sectionOf('99', '')).toBe('その他');
  });
  it('prints the fifteen sections in the customary order', () => {
    expect(sectionLabels[0]).toBe('初・再診料');
    expect(sectionLabels.at(-1)).toBe('その他');
    expect(sectionLabels).toHaveLength(15);
  });
});
