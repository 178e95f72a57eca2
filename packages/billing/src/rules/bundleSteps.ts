// まるめ (項目数による包括) step tables per 包括対象検査 group (s_ col 15). The master says which codes belong to a
// group; the thresholds are in the 告示 (D006, D007, D008 … 注), not in the master, so they are dated data here.
// Source (2024-06-01 revision): NOTES.md §2.5, from myclinic-ts packages/rezept/seikyuu-data/houkatsu-archive.ts
// (2024-06-01 table); R08 (2026-06) D007 93/99/103 unchanged per bridge-med r08-D007-n1-ha — other groups
// not confirmed for 2026, hence validTo.

export interface BundleStepTable {
  group: number;
  name: string; // for reasons
  validFrom: string;
  validTo: string | null;
  /** Highest threshold first: from `min` items, bill `points` for the group. */
  steps: { min: number; points: number }[];
  source: string;
}

const SOURCE_2024 = '平成6年厚生省告示 別表第一 D006〜D015, D287 注（2024-06-01 改定）; NOTES.md §2.5';

export const BUNDLE_STEPS: BundleStepTable[] = [
  {
    group: 1,
    name: '生化学的検査（１）（血液化学）',
    steps: [
      { min: 10, points: 103 },
      { min: 8, points: 99 },
      { min: 5, points: 93 },
    ],
  },
  {
    group: 2,
    name: '内分泌学的検査',
    steps: [
      { min: 8, points: 900 },
      { min: 6, points: 623 },
      { min: 3, points: 410 },
    ],
  },
  {
    group: 3,
    name: '肝炎ウイルス関連検査',
    steps: [
      { min: 5, points: 425 },
      { min: 4, points: 360 },
      { min: 3, points: 290 },
    ],
  },
  {
    group: 5,
    name: '腫瘍マーカー',
    steps: [
      { min: 4, points: 385 },
      { min: 3, points: 290 },
      { min: 2, points: 230 },
    ],
  },
  {
    group: 6,
    name: '出血・凝固検査',
    steps: [
      { min: 5, points: 722 },
      { min: 3, points: 530 },
    ],
  },
  {
    group: 7,
    name: '自己抗体検査',
    steps: [
      { min: 3, points: 490 },
      { min: 2, points: 320 },
    ],
  },
  { group: 8, name: '内分泌負荷試験', steps: [{ min: 3, points: 3600 }] },
  { group: 9, name: 'ウイルス抗体価（定性・半定量・定量）', steps: [{ min: 8, points: 632 }] },
  { group: 10, name: 'グロブリンクラス別ウイルス抗体価', steps: [{ min: 2, points: 400 }] },
  { group: 11, name: '特異的ＩｇＥ', steps: [{ min: 13, points: 1430 }] },
].map((t) => ({
  ...t,
  validFrom: '2024-06-01',
  validTo: t.group === 1 ? null : '2026-05-31',
  source: SOURCE_2024,
}));

export function stepTable(group: number, date: string): BundleStepTable | undefined {
  return BUNDLE_STEPS.find(
    (t) => t.group === group && t.validFrom <= date && (t.validTo === null || date <= t.validTo),
  );
}
