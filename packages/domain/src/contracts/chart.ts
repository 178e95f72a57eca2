import { z } from 'zod';
import { isoDate, line, multiline } from './input';

/** SOAP on the 2号用紙: S/O on the left (主訴・所見), A/P on the right (評価・処置・処方・検査). */
export interface SoapContent {
  s: string; // 主訴
  o: string; // 所見
  a: string; // 評価
  p: string; // 処置・処方・検査
}

export const emptySoap: SoapContent = { s: '', o: '', a: '', p: '' };

export const soapLabels: Record<keyof SoapContent, string> = {
  s: 'S 主訴',
  o: 'O 所見',
  a: 'A 評価',
  p: 'P 処置・処方・検査',
};

export const outcomeLabels = {
  '': '継続',
  cured: '治癒',
  died: '死亡',
  stopped: '中止',
  transferred: '転医',
} as const;

/** 傷病名: a master disease (code) or free text (未コード化). */
export const problemFields = z
  .strictObject({
    diseaseCode: line().max(20).nullable(),
    name: line().trim().min(1, '病名を入力してください').max(200, '病名が長すぎます'),
    prefix: line().trim().max(50),
    suffix: line().trim().max(50),
    main: z.boolean(),
    suspected: z.boolean(),
    onsetDate: isoDate,
    outcome: z.enum(['', 'cured', 'died', 'stopped', 'transferred']),
    endDate: isoDate.or(z.literal('')),
    undisclosed: z.boolean(),
    notShared: z.boolean(),
  })
  .superRefine((v, ctx) => {
    if (v.endDate && v.endDate < v.onsetDate) {
      ctx.addIssue({ code: 'custom', path: ['endDate'], message: '終了日が開始日より前です' });
    }
    if (v.outcome && !v.endDate) {
      ctx.addIssue({ code: 'custom', path: ['endDate'], message: '転帰を入れたら終了日も入力してください' });
    }
    if (!v.outcome && v.endDate) {
      ctx.addIssue({ code: 'custom', path: ['outcome'], message: '終了日を入れたら転帰を選択してください' });
    }
  });
export type ProblemFields = z.infer<typeof problemFields>;

export const allergyCategoryLabels = {
  food: '食物',
  environment: '環境',
  drug: '薬剤',
  other: 'その他',
} as const;
export const criticalityLabels = { low: '低', high: '高', unknown: '不明' } as const;
export const allergyStatusLabels = { active: '有効', inactive: '無効', resolved: '解消' } as const;

export const allergyFields = z
  .strictObject({
    category: z.enum(['food', 'environment', 'drug', 'other'], { error: '種類を選択してください' }),
    /** A drug of the 薬価基準 list; otherwise the substance is free text. */
    drugCode: line().max(20).nullable(),
    substance: line().trim().max(200, '長すぎます'),
    criticality: z.enum(['low', 'high', 'unknown']),
    reaction: multiline().trim().max(500, '症状は500文字以内です'),
    onsetDate: isoDate.or(z.literal('')),
    status: z.enum(['active', 'inactive', 'resolved']),
  })
  .refine((v) => v.substance !== '' || (v.category === 'drug' && v.drugCode), {
    message: '原因物質（薬剤名）を入力してください',
    path: ['substance'],
  });
export type AllergyFields = z.infer<typeof allergyFields>;

export const infectionKinds = ['HBs', 'HCV', 'HIV', 'STS', 'TP'] as const;
export const infectionLabels: Record<(typeof infectionKinds)[number], string> = {
  HBs: 'HBs抗原',
  HCV: 'HCV抗体',
  HIV: 'HIV',
  STS: '梅毒STS',
  TP: '梅毒TP',
};
export const infectionFields = z.strictObject({
  kind: z.enum(infectionKinds),
  result: z.enum(['positive', 'negative', 'unknown']),
  testedOn: isoDate.or(z.literal('')),
});
export type InfectionFields = z.infer<typeof infectionFields>;

/** What a chart entry holds, by its kind (entries.kind): SOAP, a prescription (orders) or a document. */
export type EntryContent =
  | SoapContent
  | import('../orders/prescription').PrescriptionContent
  | import('./documents').DocumentContent;
export const isPrescription = (c: EntryContent): c is import('../orders/prescription').PrescriptionContent =>
  'rps' in c;
export const isDocument = (c: EntryContent): c is import('./documents').DocumentContent =>
  'type' in c && 'fields' in c;
export const isSoap = (c: EntryContent): c is SoapContent => 's' in c && 'o' in c;
