import type { Tariff } from '@karte/billing';
import {
  ageOn,
  type BillItemInput,
  type BillingSettings,
  type PrescriptionContent,
  perDayOfUsage,
  type VisitKind,
} from '@karte/domain';
import { timeBandOf } from './clock';

// 会計の提案: what Karte proposes from what happened at the visit. Pure; every line carries its reason.
// Codes and periods: ../shared/billing-data/NOTES.md §2.2 (初診/再診 and 加算), §2.4 (投薬), §2.7 (DX 加算).

/** An earlier 会計 of this patient here (its date and the codes it billed). */
export interface EarlierBill {
  visitDate: string;
  codes: string[];
}

export interface ProposalInput {
  date: string; // 診療日
  checkInTime: string; // HH:MM (Japan)
  birthDate: string;
  /** Earlier finished visits here (dates), and earlier bills with their codes. */
  earlierVisitDates: string[];
  earlierBills: EarlierBill[];
  /** Today's confirmed prescriptions of the visit's encounter. */
  prescriptions: PrescriptionContent[];
  /** オンライン資格確認 done for this visit. */
  eligibilityConfirmed: boolean;
  settings: Pick<BillingSettings, 'hours' | 'closedDays' | 'standards' | 'facilityAddOns'>;
  tariff: Pick<Tariff, 'procedure' | 'drugByYj'>;
}

export interface ProposedLine {
  item: BillItemInput;
  reason: string;
}

export interface Proposal {
  visitKind: { kind: VisitKind; reason: string };
  lines: ProposedLine[];
  /** What the proposal could not do and the clerk must (Japanese), e.g. a 院内 drug missing from the tariff. */
  warnings: string[];
}

export const codes = {
  first: '111000110', // 初診料
  revisit: '112007410', // 再診料
  outpatientMgmt: '112011010', // 外来管理加算
  infantFirst: '111000370', // 乳幼児加算（初診）
  infantRevisit: '112000970', // 乳幼児加算（再診）
  nightEarlyFirst: '111012470', // 夜間・早朝等加算（初診）
  nightEarlyRevisit: '112015570', // 夜間・早朝等加算（再診）
  rxSlip: '120002910', // 処方箋料（その他）
  rxSlipSeven: '120002710', // 処方箋料（7種類以上内服薬）
  rxSlipRefill: '120005010', // 処方箋料（リフィル）
  rxSlipSevenRefill: '120004810', // 処方箋料（7種類以上内服薬・リフィル）
  genericRx1: '120004270', // 一般名処方加算1
  genericRx2: '120003570', // 一般名処方加算2
  rxSlipInfant: '120002470', // 処方箋料 乳幼児加算
  rxFee: '120001210', // 処方料（その他）
  rxFeeInfant: '120002170', // 処方料 乳幼児加算
  rxFeeSeven: '120002610', // 処方料（7種類以上内服薬）
  dispenseOral: '120000710', // 調剤料（内服薬・浸煎薬・屯服薬）
  dispenseExternal: '120001010', // 調剤料（外用薬）
} as const;

/** 時間外 / 休日 / 深夜 加算: [adult, under 6] per base. */
const timeAddOns = {
  first: {
    afterHours: ['111000570', '111011970'],
    holiday: ['111000670', '111012070'],
    lateNight: ['111000770', '111012170'],
  },
  revisit: {
    afterHours: ['112001110', '112014770'],
    holiday: ['112001210', '112014870'],
    lateNight: ['112001310', '112014970'],
  },
} as const;
const bandLabels = { afterHours: '時間外加算', holiday: '休日加算', lateNight: '深夜加算' } as const;

/** 医療情報取得加算 for a visit confirmed online (マイナ保険証), by period (NOTES §2.7); abolished 2026-06. */
function infoAddOn(kind: 'first' | 'revisit', date: string): string | null {
  if (date < '2024-06-01' || date >= '2026-06-01') return null;
  // 2024-06–11: 加算2 (初診) / 加算4 (再診) are the online-confirmed variants; from 2024-12 the same codes are the single 1点 item.
  return kind === 'first' ? '111703270' : '112708970';
}

/** Facility add-ons billed at most once a month (医療DX推進体制整備加算, 電子的診療情報連携体制整備加算, 外来感染対策向上加算). */
const oncePerMonth = new Set([
  '111703370',
  '111703470',
  '111703570',
  '111703670',
  '111703770',
  '111703870',
  '111704070',
  '111704170',
  '111704270',
  '112709570',
  '111014870',
  '112024370',
]);

const monthOf = (date: string) => date.slice(0, 7);
/** The first month of the 3-month window ending with `date`'s month (3月に1回). */
function windowStart(date: string, months: number): string {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7)) - (months - 1);
  const d = new Date(Date.UTC(y, m - 1, 1));
  return d.toISOString().slice(0, 7);
}

const procedure = (code: string, reason: string): ProposedLine => ({
  item: { kind: 'procedure', code, count: 1, source: 'proposed' },
  reason,
});

/** 初診 or 再診, from the patient's history here. */
export function proposeVisitKind(input: Pick<ProposalInput, 'date' | 'earlierVisitDates' | 'earlierBills'>): {
  kind: VisitKind;
  reason: string;
} {
  const earlier = [...input.earlierVisitDates, ...input.earlierBills.map((b) => b.visitDate)]
    .filter((d) => d < input.date)
    .sort();
  const last = earlier.at(-1);
  if (!last) return { kind: 'first', reason: '当院での受診歴がないため初診' };
  // 通知: 患者が任意に診療を中止し1月以上経過した後の受診は初診. Whether the patient stopped on their own
  // (not a planned follow-up) only the clerk knows, so this is a proposal they can switch.
  if (input.date >= oneMonthAfter(last)) {
    return {
      kind: 'first',
      reason: `前回受診 ${last} から1月以上経過のため初診（任意に中止した後の受診。継続中の診療なら再診に切り替え）`,
    };
  }
  return { kind: 'revisit', reason: `前回受診 ${last} のため再診` };
}

/** The day one month after `date` (same day of the next month, or its last day if shorter): 1月経過の日. */
export function oneMonthAfter(date: string): string {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7)); // 1–12; as a 0-based month this is already the next month
  const d = Number(date.slice(8, 10));
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m, Math.min(d, lastDay))).toISOString().slice(0, 10);
}

function baseLines(input: ProposalInput, kind: 'first' | 'revisit'): ProposedLine[] {
  const lines: ProposedLine[] = [];
  const base = kind === 'first' ? codes.first : codes.revisit;
  const proposed = proposeVisitKind(input);
  const why = proposed.kind === kind ? proposed.reason : '受付で選択';
  lines.push(procedure(base, `${kind === 'first' ? '初診料' : '再診料'}: ${why}`));
  const age = ageOn(input.birthDate, input.date);
  const infant = age < 6;
  const band = timeBandOf(input.date, input.checkInTime, input.settings);
  if (band.band && band.band !== 'nightEarly') {
    const code = timeAddOns[kind][band.band][infant ? 1 : 0];
    const label = `${infant ? '乳幼児' : ''}${bandLabels[band.band]}`;
    lines.push(procedure(code, `${label}: ${band.reason}${infant ? '（6歳未満、乳幼児加算に代えて）' : ''}`));
  } else if (infant) {
    lines.push(procedure(infantAddOn(input, base, kind, age), `乳幼児加算: ${age}歳（6歳未満）`));
  }
  // 夜間・早朝等加算 (診療所): a separate 注加算通番 from 乳幼児加算, so both may apply; only while the item is valid.
  const nightEarly = kind === 'first' ? codes.nightEarlyFirst : codes.nightEarlyRevisit;
  if (band.band === 'nightEarly' && input.tariff.procedure(nightEarly, input.date)) {
    lines.push(procedure(nightEarly, `夜間・早朝等加算: ${band.reason}`));
  }
  if (kind === 'revisit') {
    lines.push(
      procedure(codes.outpatientMgmt, '外来管理加算: 再診時（処置・リハビリ等を行った場合は算定されません）'),
    );
  }
  const info = infoAddOn(kind, input.date);
  if (info && input.eligibilityConfirmed && input.tariff.procedure(info, input.date)) {
    const since = kind === 'first' ? monthOf(input.date) : windowStart(input.date, 3);
    const billed = input.earlierBills.some(
      (b) => b.visitDate < input.date && monthOf(b.visitDate) >= since && b.codes.includes(info),
    );
    if (!billed) {
      lines.push(
        procedure(
          info,
          `医療情報取得加算: オンライン資格確認済み（${kind === 'first' ? '月1回' : '3月に1回'}）`,
        ),
      );
    }
  }
  return lines;
}

/** 乳幼児加算: the base item's 年齢加算 for the age (master cols 99–110), else the usual code. */
function infantAddOn(input: ProposalInput, base: string, kind: 'first' | 'revisit', age: number): string {
  const item = input.tariff.procedure(base, input.date);
  for (const a of item?.ageAddOns ?? []) {
    const min = a.min ? Number(a.min) : 0;
    const max = a.max ? Number(a.max) : 999;
    if (a.code && age >= min && age < max) return a.code;
  }
  return kind === 'first' ? codes.infantFirst : codes.infantRevisit;
}

/** The facility's 届出 add-ons (settings), valid on the date, for this kind of visit, once a month where so ruled. */
function facilityLines(input: ProposalInput, kind: VisitKind): ProposedLine[] {
  const lines: ProposedLine[] = [];
  const month = monthOf(input.date);
  for (const code of input.settings.facilityAddOns) {
    if (code.startsWith('120')) continue; // 投薬 add-ons (一般名処方加算) go with the prescription
    // 初診 add-ons (111…) on 初診, 再診 add-ons (112…) on 再診; others (e.g. ベースアップ評価料) on either.
    if (code.startsWith('111') && kind !== 'first') continue;
    if (code.startsWith('112') && kind !== 'revisit') continue;
    if (kind === 'none') continue;
    const item = input.tariff.procedure(code, input.date);
    if (!item) continue; // not valid on this date (e.g. a 加算 abolished by a revision)
    if (oncePerMonth.has(code)) {
      const billed = input.earlierBills.some(
        (b) => b.visitDate < input.date && monthOf(b.visitDate) === month && b.codes.includes(code),
      );
      if (billed) continue;
      lines.push(procedure(code, `${item.name}: 届出あり（月1回、今月未算定）`));
    } else {
      lines.push(procedure(code, `${item.name}: 届出あり`));
    }
  }
  return lines;
}

/** 内服 drugs counted for 7種類以上: distinct ingredients of the oral RPs. */
function oralKinds(rxs: PrescriptionContent[]): number {
  const set = new Set<string>();
  for (const rx of rxs)
    for (const rp of rx.rps) if (rp.kind === 'oral') for (const d of rp.drugs) set.add(d.code);
  return set.size;
}

function hasGenericAddOn(input: ProposalInput): boolean {
  const configured = input.settings.facilityAddOns;
  if (configured.includes(codes.genericRx1) || configured.includes(codes.genericRx2)) return true;
  // Or a 届出 施設基準 the master names for the add-on.
  const item = input.tariff.procedure(codes.genericRx1, input.date);
  return !!item && item.standards.some((s) => input.settings.standards.includes(s));
}

function outsideLines(input: ProposalInput, rxs: PrescriptionContent[]): ProposedLine[] {
  const seven = oralKinds(rxs) >= 7;
  const refill = rxs.some((rx) => !!rx.refill);
  const code = refill
    ? seven
      ? codes.rxSlipSevenRefill
      : codes.rxSlipRefill
    : seven
      ? codes.rxSlipSeven
      : codes.rxSlip;
  const lines = [
    procedure(code, `処方箋料: 院外処方${refill ? '（リフィル）' : ''}${seven ? '、内服薬7種類以上' : ''}`),
    ...rxInfantLine(input, codes.rxSlipInfant, '処方箋料'),
  ];
  if (!hasGenericAddOn(input)) return lines;
  // 一般名処方加算: 1 when every drug that has a generic is written by 一般名 and there are 2品目以上 of them,
  // else 2 when at least one is. 品目 are distinct drugs (the same drug in two RPs counts once).
  const eligible = new Set<string>();
  const byGeneric = new Set<string>();
  for (const rx of rxs) {
    for (const rp of rx.rps) {
      for (const d of rp.drugs) {
        const drug = input.tariff.drugByYj(d.code, input.date);
        const target = d.generic || (drug ? drug.genericAddOn !== '' && drug.genericAddOn !== '0' : false);
        if (!target) continue;
        eligible.add(d.code);
        if (d.generic) byGeneric.add(d.code);
      }
    }
  }
  if (byGeneric.size === 0) return lines;
  const all = [...eligible].every((c) => byGeneric.has(c));
  if (all && eligible.size >= 2) {
    lines.push(
      procedure(codes.genericRx1, `一般名処方加算1: 後発品のある${eligible.size}品目すべてを一般名で処方`),
    );
  } else {
    const why = all ? '（1品目のみのため加算1ではなく加算2）' : '';
    lines.push(
      procedure(
        codes.genericRx2,
        `一般名処方加算2: 後発品のある${eligible.size}品目のうち${byGeneric.size}品目を一般名で処方${why}`,
      ),
    );
  }
  return lines;
}

/** 処方箋料/処方料 の乳幼児加算: 3歳未満 (NOTES §2.4), while the item is valid on the date. */
function rxInfantLine(input: ProposalInput, code: string, fee: string): ProposedLine[] {
  const age = ageOn(input.birthDate, input.date);
  if (age >= 3 || !input.tariff.procedure(code, input.date)) return [];
  return [procedure(code, `${fee} 乳幼児加算: ${age}歳（3歳未満）`)];
}

const perDayOf = (usageCode: string) => perDayOfUsage(usageCode);

function insideLines(
  input: ProposalInput,
  rxs: PrescriptionContent[],
  rpStart: number,
  warnings: string[],
): ProposedLine[] {
  const seven = oralKinds(rxs) >= 7;
  const lines = [
    procedure(seven ? codes.rxFeeSeven : codes.rxFee, `処方料: 院内処方${seven ? '、内服薬7種類以上' : ''}`),
    ...rxInfantLine(input, codes.rxFeeInfant, '処方料'),
  ];
  const rps = rxs.flatMap((rx) => rx.rps);
  if (rps.some((r) => r.kind !== 'external')) {
    lines.push(procedure(codes.dispenseOral, '調剤料: 院内で内服・屯服薬を調剤'));
  }
  if (rps.some((r) => r.kind === 'external')) {
    lines.push(procedure(codes.dispenseExternal, '調剤料: 院内で外用薬を調剤'));
  }
  rps.forEach((rp, i) => {
    const perDay = rp.kind === 'oral' ? perDayOf(rp.usageCode) : 1;
    for (const d of rp.drugs) {
      const drug = input.tariff.drugByYj(d.code, input.date);
      if (!drug) {
        // Not in the tariff on this date (e.g. 経過措置 ended): a line with the YJ code could not be priced
        // and 会計 would not open, so leave it to the clerk.
        warnings.push(
          `薬剤料: ${d.name}（YJ ${d.code}）は料金マスターに見つからないため行を作りませんでした。手入力で追加してください`,
        );
        continue;
      }
      const amount = +(d.dose * (perDay ?? 1)).toFixed(5);
      const days = rp.kind === 'oral' ? (rp.days ?? 1) : rp.kind === 'asNeeded' ? (rp.times ?? 1) : 1;
      const how =
        rp.kind === 'oral'
          ? perDay
            ? `1日${amount}×${days}日分`
            : `1日量が用法から読めないため1回量${amount}×${days}日分`
          : rp.kind === 'asNeeded'
            ? `1回${amount}×${days}回分`
            : `外用 ${amount}`;
      lines.push({
        item: {
          kind: 'drug',
          code: drug.code,
          amount,
          days,
          rp: rpStart + i,
          source: 'proposed',
        },
        reason: `薬剤料: 院内処方 RP${rpStart + i} ${d.name} ${how}`,
      });
    }
  });
  return lines;
}

/** The lines that follow from the kind of visit: the 初診料/再診料 with its 加算, and the facility's add-ons. */
export function visitKindLines(input: ProposalInput, kind: VisitKind): ProposedLine[] {
  return [...(kind !== 'none' ? baseLines(input, kind) : []), ...facilityLines(input, kind)];
}

/** The proposal for a visit: 初診/再診 and its 加算, facility add-ons, 投薬 from the day's prescriptions. */
export function propose(input: ProposalInput, forcedKind?: VisitKind): Proposal {
  const visitKind = proposeVisitKind(input);
  const kind = forcedKind ?? visitKind.kind;
  const lines: ProposedLine[] = visitKindLines(input, kind);
  const outside = input.prescriptions.filter((p) => p.place === 'outside');
  const inside = input.prescriptions.filter((p) => p.place === 'inside');
  if (outside.length > 0) lines.push(...outsideLines(input, outside));
  const warnings: string[] = [];
  if (inside.length > 0) lines.push(...insideLines(input, inside, 1, warnings));
  return { visitKind, lines, warnings };
}
