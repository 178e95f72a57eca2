import type { CommentItem, DrugItem, MaterialItem, ProcedureItem, TariffKind } from '../types';
import type { TariffVersion } from './index';
import { LAYOUTS } from './layout';

// Typed items from a version's columns (positions: NOTES.md §1.2–1.3).

const s = (cols: string[], i: number): string => cols[i] ?? '';
const num = (cols: string[], i: number): number => {
  const n = Number(cols[i] ?? '');
  return Number.isFinite(n) ? n : 0;
};
/** A flag/code column where '0' and '' both mean "none". */
const opt = (cols: string[], i: number): string => {
  const v = s(cols, i);
  return /^0*$/.test(v) ? '' : v;
};

/** 区分番号 as printed: alphabet (col 84) + 区分番号 (col 91) + '-' 枝番 (col 92) when not 00, e.g. B001-3. */
function kubunOf(cols: string[]): string {
  const alpha = s(cols, 84);
  const no = s(cols, 91);
  if (!alpha || !no) return '';
  const branch = Number(s(cols, 92));
  return branch > 0 ? `${alpha}${no}-${branch}` : `${alpha}${no}`;
}

export function procedureFromCols(v: TariffVersion): ProcedureItem {
  const c = v.cols;
  const standards: string[] = [];
  for (let i = 71; i <= 80; i++) {
    const code = opt(c, i);
    if (code) standards.push(code);
  }
  const ageAddOns: ProcedureItem['ageAddOns'] = [];
  for (let i = 99; i <= 108; i += 3) {
    const code = opt(c, i + 2);
    if (code) ageAddOns.push({ min: s(c, i), max: s(c, i + 1), code });
  }
  return {
    code: v.code,
    name: s(c, 4),
    fullName: s(c, 112) || s(c, 4),
    kana: s(c, 6),
    unit: s(c, 9),
    pointKind: num(c, 10),
    points: num(c, 11),
    inOut: num(c, 12),
    section: s(c, 14),
    bundleGroup: num(c, 15),
    maxCount: num(c, 35),
    addOnCode: s(c, 37),
    addOnSeq: s(c, 38),
    ageMin: s(c, 40),
    ageMax: s(c, 41),
    timeAddOn: s(c, 42),
    judgeKind: num(c, 49),
    judgeGroup: num(c, 50),
    outpatientMgmt: num(c, 55),
    standards,
    kubun: kubunOf(c),
    ageAddOns,
    validFrom: v.validFrom,
    validTo: v.validTo,
  };
}

export function drugFromCols(v: TariffVersion): DrugItem {
  const c = v.cols;
  return {
    code: v.code,
    name: s(c, 4),
    kana: s(c, 6),
    unit: s(c, 9),
    priceYen: num(c, 11),
    form: num(c, 27),
    yjCode: s(c, 31),
    genericCode: s(c, 36),
    genericName: s(c, 37),
    genericAddOn: s(c, 38),
    validFrom: v.validFrom,
    validTo: v.validTo,
  };
}

export function materialFromCols(v: TariffVersion): MaterialItem {
  const c = v.cols;
  return {
    code: v.code,
    name: s(c, 4),
    unit: s(c, 9),
    priceKind: num(c, 10),
    priceYen: num(c, 11),
    validFrom: v.validFrom,
    validTo: v.validTo,
  };
}

export function commentFromCols(v: TariffVersion): CommentItem {
  return { code: v.code, name: s(v.cols, 6), validFrom: v.validFrom, validTo: v.validTo };
}

/** The display name of a version (for search columns). */
export function nameOfCols(kind: TariffKind, cols: string[]): { name: string; kana: string } {
  const l = LAYOUTS[kind];
  return { name: s(cols, l.name), kana: s(cols, l.kana) };
}
