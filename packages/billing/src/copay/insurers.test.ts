import { describe, expect, it } from 'vitest';
import { copayForVisits } from './index';

// Two insurers in one month: each has its own 高額療養費 limit, each visit keeps the ratio it was billed at.
describe('75歳到達月: the old insurer and 後期高齢者 in one month', () => {
  it('caps each insurer at its own halved limit', () => {
    // Born 1949-07-15: 75 on 2024-07-15, so July 2024 is the 75歳到達月 (not born on the 1st → halved limits, NOTES §3.3).
    // 07-03, 07-10: old insurer, 70–74 一般 2割, 3,000点 each → 2割 = 6,000 + 6,000 = 12,000円; the ≥70 外来 (個人)
    //   limit 一般 18,000 halved → 9,000, so the old insurer's visits together charge 9,000.
    // 07-20, 07-25: 後期高齢者 一般Ⅰ 1割, 5,000点 each → 1割 = 5,000 + 5,000 = 10,000円; its own limit is also
    //   18,000 halved → 9,000 (the two insurers' limits are separate: no 合算 across insurers), so it charges 9,000.
    // The reviewer suggested 9,000 + 1,000; that would apply one shared limit to both insurers, which §3.3 does not
    // (each insurer halves its own limit for the month precisely because the month is split between them).
    const r = copayForVisits({ birthDate: '1949-07-15', publicSubsidies: [] }, [
      { date: '2024-07-03', points: 3000, publicSubsidies: [], ratio: 2, insurer: '01130012' },
      { date: '2024-07-10', points: 3000, publicSubsidies: [], ratio: 2, insurer: '01130012' },
      { date: '2024-07-20', points: 5000, publicSubsidies: [], ratio: 1, insurer: '39131011' },
      { date: '2024-07-25', points: 5000, publicSubsidies: [], ratio: 1, insurer: '39131011' },
    ]);
    expect(r.map((v) => v.ratio)).toEqual([2, 2, 1, 1]);
    expect(r.map((v) => v.patientYen)).toEqual([6000, 3000, 5000, 4000]);
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    expect(sum(r.slice(0, 2).map((v) => v.patientYen))).toBe(9000);
    expect(sum(r.slice(2).map((v) => v.patientYen))).toBe(9000);
  });

  it('without insurer keys the visits share one limit (the old behaviour stays for single-insurer months)', () => {
    const r = copayForVisits({ birthDate: '1980-04-10', ratio: 3, publicSubsidies: [] }, [
      { date: '2024-07-03', points: 300, publicSubsidies: [], ratio: 2 },
      { date: '2024-07-10', points: 300, publicSubsidies: [] },
    ]);
    expect(r.map((v) => [v.ratio, v.patientYen])).toEqual([
      [2, 600],
      [3, 900],
    ]);
  });
});
