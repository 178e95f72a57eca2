import { describe, expect, it } from 'vitest';
import { coverageFields, emptyCoverageFields, publicSubsidyFields } from './visit';

const coverage = { ...emptyCoverageFields, insurerNumber: '01130012', number: '12' };
const subsidy = {
  priority: 1,
  payerNumber: '54016027',
  recipientNumber: '',
  validFrom: '',
  validUntil: '',
  monthlyCap: null,
};

describe('dates typed at reception (資格取得日, 有効期限, 公費)', () => {
  it('accept the notations of 生年月日 and keep YYYY-MM-DD', () => {
    for (const [typed, iso] of [
      ['R2.4.1', '2020-04-01'],
      ['Ｒ２．４．１', '2020-04-01'],
      ['H31/4/30', '2019-04-30'],
      ['20200401', '2020-04-01'],
      ['2020/4/1', '2020-04-01'],
      [' 2020-04-01 ', '2020-04-01'],
    ]) {
      const r = coverageFields.safeParse({ ...coverage, acquiredOn: typed, validUntil: 'R9.3.31' });
      expect(r.success, typed).toBe(true);
      expect(r.data?.acquiredOn).toBe(iso);
      expect(r.data?.validUntil).toBe('2027-03-31');
    }
    const s = publicSubsidyFields.parse({ ...subsidy, validFrom: 'R6.4.1', validUntil: '20250331' });
    expect([s.validFrom, s.validUntil]).toEqual(['2024-04-01', '2025-03-31']);
  });

  it('leave an empty box empty', () => {
    const r = coverageFields.parse(coverage);
    expect([r.acquiredOn, r.validUntil]).toEqual(['', '']);
  });

  it('refuse text that is no date, and days that do not exist, in Japanese', () => {
    const messages = (acquiredOn: string) => {
      const r = coverageFields.safeParse({ ...coverage, acquiredOn });
      return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };
    expect(messages('R2.2.30')).toEqual([
      'acquiredOn: 日付は 2020-04-01、20200401、R2.4.1 のように入力してください',
    ]);
    expect(messages('2020-02-30')).toEqual(['acquiredOn: 存在しない日付です']);
    expect(messages('きのう')).toHaveLength(1);
  });

  it('compare the dates as read, whatever the notation', () => {
    const r = publicSubsidyFields.safeParse({ ...subsidy, validFrom: 'R6.4.1', validUntil: 'H31.3.31' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe('有効期限が開始日より前です');
    const c = coverageFields.safeParse({ ...coverage, acquiredOn: 'R2.4.1', validUntil: '20190331' });
    expect(c.error?.issues[0]?.message).toBe('有効期限が資格取得日より前です');
  });
});
