import {
  burdenRatio,
  type EligibilityQuery,
  type EligibilityResponse,
  elderlyStartDay,
  insuranceKindLabel,
  lastPreschoolDay,
  lateElderlyStartDay,
  luhnCheckDigit,
  type Qualification,
  todayInJapan,
} from '@karte/domain';

/**
 * Deterministic, fictional answers. With 保険証情報 the 番号 chooses the outcome:
 *   9999 無効 · 8888 無効（新しい資格あり） · 7777 該当資格なし · 6666 複数該当 · 5555 処理中 (then 有効)
 *   4444 有効 with 特定疾病療養受療証 (人工透析, 上限 10,000円)
 *   anything else 有効, echoing what was sent, with the ratio the law gives for the age.
 * With a card, every holder is found (a qualification derived from name and birth date), except
 * names whose カナ contains フメイ (該当資格なし). The holder's 氏名 and 性別 are the ones sent, except for a カナ
 * containing ベツジン (another person's 氏名 and the other 性別: an identity mismatch).
 */
function hash(text: string): number {
  let h = 2166136261;
  for (const ch of text) h = Math.imul(h ^ (ch.codePointAt(0) ?? 0), 16777619) >>> 0;
  return h;
}

function withCheckDigit(body: string): string {
  return `${body}${luhnCheckDigit(body)}`;
}

const INSURERS = ['0113001', '0613999', '3113001', '3413001', '0127001'];

function qualificationFor(q: EligibilityQuery, today: string): Qualification {
  const h = hash(`${q.nameKana ?? ''}|${q.birthDate}`);
  const mismatch = (q.nameKana ?? '').includes('ベツジン');
  const lateElderly = today >= lateElderlyStartDay(q.birthDate);
  const insurerNumber =
    q.method === 'insurance' && q.insurerNumber
      ? q.insurerNumber
      : lateElderly
        ? withCheckDigit('3913001')
        : withCheckDigit(INSURERS[h % INSURERS.length] as string);
  const ratio = burdenRatio(q.birthDate, today, {
    lateElderlyWari: lateElderly ? ((1 + (h % 2)) as 1 | 2) : undefined,
  });
  const elderly = !lateElderly && today >= elderlyStartDay(q.birthDate);
  const limitCategory = q.consent?.limit ? (elderly || lateElderly ? 'B04' : 'A03') : null;
  return {
    insurerNumber,
    insurerName: `${insuranceKindLabel(insurerNumber)}（デモ保険者）`,
    symbol: q.method === 'insurance' ? (q.symbol ?? '') : `${(h % 900) + 100}`,
    number: q.method === 'insurance' ? (q.number ?? '') : `${(h % 90000) + 10000}`,
    branch: q.method === 'insurance' ? (q.branch ?? '') : '00',
    relationship: h % 3 === 0 ? 'family' : 'self',
    // The holder as registered, except a カナ with ベツジン: someone else's qualification (identity mismatch).
    ...(mismatch
      ? { name: '別人 太郎', sex: q.sex === 'male' ? ('female' as const) : ('male' as const) }
      : {
          name: q.name ?? 'デモ 患者',
          sex: q.sex === 'male' || q.sex === 'female' ? q.sex : h % 2 === 0 ? 'female' : 'male',
        }),
    nameKana: q.nameKana ?? 'デモ カンジャ',
    birthDate: q.birthDate,
    acquiredOn: '2024-04-01',
    validUntil: null,
    burdenWari: ratio.wari,
    preschool: today <= lastPreschoolDay(q.birthDate),
    elderly: elderly ? { wari: 2, validFrom: elderlyStartDay(q.birthDate) } : null,
    limitCategory,
    specificDisease: null,
  };
}

/** `completed`: the final answer of a query that first came back 処理中. */
export function answer(
  q: EligibilityQuery,
  requestId: string,
  now = new Date(),
  completed = false,
): EligibilityResponse {
  const today = todayInJapan(now);
  const at = now.toISOString();
  const consent = (granted: boolean | undefined) => ({ granted: !!granted, at: granted ? at : null });
  const base = {
    requestId,
    processedAt: at,
    referenceClassification: (q.method === 'card' ? 1 : 2) as 1 | 2,
    consents: {
      limit: consent(q.consent?.limit),
      medication: consent(q.consent?.medication),
      checkup: consent(q.consent?.checkup),
    },
  };
  const number = q.method === 'insurance' && !completed ? (q.number ?? '').normalize('NFKC') : '';
  if (q.method === 'card' && (q.nameKana ?? '').includes('フメイ')) {
    return { ...base, status: 'not_found', qualification: null };
  }
  switch (number) {
    case '9999':
      return {
        ...base,
        status: 'invalid',
        qualification: { ...qualificationFor(q, today), validUntil: '2025-03-31', lossReason: '03' },
      };
    case '8888':
      return {
        ...base,
        status: 'invalid_new_available',
        qualification: { ...qualificationFor(q, today), validUntil: '2025-09-30', lossReason: '03' },
        newQualification: {
          ...qualificationFor({ ...q, insurerNumber: withCheckDigit('0113002'), number: '1234' }, today),
          acquiredOn: '2025-10-01',
        },
      };
    case '7777':
      return { ...base, status: 'not_found', qualification: null };
    case '6666':
      return { ...base, status: 'multiple', qualification: null };
    case '4444':
      return {
        ...base,
        status: 'valid',
        qualification: {
          ...qualificationFor(q, today),
          specificDisease: { kind: 'dialysis', capYen: 10_000 },
        },
      };
    case '5555':
      return { ...base, status: 'processing', qualification: null };
    default:
      return { ...base, status: 'valid', qualification: qualificationFor(q, today) };
  }
}
