// The unit of a code's 上限回数 (master col 35). The master gives the number but not its unit: the unit is in the
// 電子点数表's 算定回数テーブル (05, 算定単位コード: 日/週/月/初診時/一連…; NOTES.md §1.5), which is not bundled. Only
// the codes whose unit is known from the 告示/通知 (as cited per entry) are enforced; any other 上限回数 only warns.
// Each entry is dated: it applies to visits from `from` to `to` (null = open).

/** How 上限回数 is counted: over this calendar month and the months before it (1 = the month alone). */
export interface CountUnit {
  months: 1 | 3 | 12;
}

interface Entry extends CountUnit {
  codes: string[];
  from: string;
  to: string | null;
}

const TABLE: Entry[] = [
  // 判断料 (D026, 月1回 per group) and 検体検査管理加算（１） (月1回): NOTES.md §2.5 (3, 5).
  {
    codes: [
      '160061710',
      '160061810',
      '160061910',
      '160062010',
      '160062110',
      '160062210',
      '160218110',
      '160170170',
    ],
    months: 1,
    from: '2024-06-01',
    to: null,
  },
  // 特定疾患療養管理料（診療所）月2回; 生活習慣病管理料 (I) 脂質/高血圧/糖尿病 and (II) 月1回: NOTES.md §2.6.
  {
    codes: ['113001810', '113041710', '113041810', '113041910', '113707110'],
    months: 1,
    from: '2024-06-01',
    to: null,
  },
  // 外来感染対策向上加算 初診/再診 月1回: NOTES.md §2.3 table.
  { codes: ['111014870', '112024370'], months: 1, from: '2024-06-01', to: null },
  // 医療DX推進体制整備加算 (加算1–6, 初診) 月1回 and 医療情報取得加算 初診 (加算1/2, then the single 1点) 月1回, until the
  // 2026 revision abolished them: NOTES.md §2.7 table.
  {
    codes: [
      '111703370',
      '111703470',
      '111703570',
      '111703670',
      '111703770',
      '111703870',
      '111703170',
      '111703270',
    ],
    months: 1,
    from: '2024-06-01',
    to: '2026-05-31',
  },
  // 医療情報取得加算 再診 (加算3/4, then the single 1点) 3月に1回: NOTES.md §2.7 table.
  { codes: ['112708870', '112708970'], months: 3, from: '2024-06-01', to: '2026-05-31' },
  // 電子的診療情報連携体制整備加算 1–3 (初診) and 再診 月1回 from the 2026 revision: NOTES.md §2.7 (secondary sources).
  { codes: ['111704070', '111704170', '111704270', '112709570'], months: 1, from: '2026-06-01', to: null },
  // 時間内歩行試験 (D211-3) 年4回 (告示 D211-3 注; the master says 4 with no unit). Counted over 12 calendar months;
  // not in NOTES.md, verify against the 算定回数テーブル when it is loaded.
  { codes: ['160198710'], months: 12, from: '2024-06-01', to: null },
];

const byCode = new Map<string, Entry[]>();
for (const e of TABLE) {
  for (const code of e.codes) byCode.set(code, [...(byCode.get(code) ?? []), e]);
}

/** The unit of `code`'s 上限回数 on `date`, or undefined when it is not known. */
export function countUnitOf(code: string, date: string): CountUnit | undefined {
  const e = byCode.get(code)?.find((x) => x.from <= date && (x.to === null || date <= x.to));
  return e ? { months: e.months } : undefined;
}

/** How the reasons name a limit: 月2回, 3月に1回（今月を含む暦月3か月）, 年4回（今月を含む暦月12か月）. */
export function limitText(unit: CountUnit, max: number): string {
  if (unit.months === 1) return `月${max}回`;
  if (unit.months === 3) return `3月に${max}回（今月を含む暦月3か月）`;
  return `年${max}回（今月を含む暦月12か月）`;
}

/** The calendar months ('YYYY-MM') of a window ending with the month of `date`. */
export function windowMonths(date: string, months: number): string[] {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7)) - 1;
  const out: string[] = [];
  for (let i = 0; i < months; i++) {
    const t = y * 12 + m - i;
    out.push(`${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}`);
  }
  return out;
}
