import type { TariffKind } from '../types';

// Column positions (0-based) per master, from NOTES.md §1.2–1.3. The code is col 2 except コメント, whose code is
// 区分 (col 2, 1) + パターン (col 3, 2) + 番号 (col 4, 6); 番号 is not zero-padded in change files ("96").

interface Layout {
  prefix: string; // file name prefix
  changedOn: number; // 変更年月日
  abolishedOn: number; // 廃止年月日
  name: number;
  kana: number;
}

export const LAYOUTS: Record<TariffKind, Layout> = {
  procedure: { prefix: 's', changedOn: 86, abolishedOn: 87, name: 4, kana: 6 },
  drug: { prefix: 'y', changedOn: 29, abolishedOn: 30, name: 4, kana: 6 },
  material: { prefix: 't', changedOn: 27, abolishedOn: 29, name: 4, kana: 6 },
  comment: { prefix: 'c', changedOn: 20, abolishedOn: 21, name: 6, kana: 8 },
};

export function kindOfPrefix(prefix: string): TariffKind | undefined {
  for (const [kind, l] of Object.entries(LAYOUTS)) if (l.prefix === prefix) return kind as TariffKind;
  return undefined;
}

/** 'YYYYMMDD' → ISO; '', '0', '99999999' → null (open / not given). */
export function sskDate(v: string | undefined): string | null {
  if (!v || !/^\d{8}$/.test(v) || v === '99999999' || v === '00000000') return null;
  return `${v.slice(0, 4)}-${v.slice(4, 6)}-${v.slice(6, 8)}`;
}

export function codeOfCols(kind: TariffKind, cols: string[]): string {
  if (kind === 'comment') {
    const [kubun = '', pattern = '', no = ''] = [cols[2], cols[3], cols[4]];
    return `${kubun}${pattern.padStart(2, '0')}${no.padStart(6, '0')}`;
  }
  return cols[2] ?? '';
}
