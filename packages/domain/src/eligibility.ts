/**
 * The HTTP + JSON contract of the eligibility service as Karte uses it (modelled on the オンライン資格確認
 * 資格確認結果, shared/domain/NOTES.md §4). The simulator implements it; the API's EligibilityPort calls it.
 */
export interface EligibilityQuery {
  /** card: マイナンバーカード read at the face-recognition reader; insurance: 保険者番号 + 記号・番号 + 生年月日. */
  method: 'card' | 'insurance';
  institutionCode: string; // 医療機関コード (10桁)
  birthDate: string;
  /** What the card reader reports of the holder (card path). */
  nameKana?: string;
  /** The holder as the clinic registered them (氏名 in kanji, 性別): the simulator answers with them. */
  name?: string;
  sex?: string;
  insurerNumber?: string;
  symbol?: string;
  number?: string;
  branch?: string;
  /** Consents the patient gave on the reader's screen (card path) or verbally (insurance path). */
  consent?: { limit?: boolean; medication?: boolean; checkup?: boolean };
}

export type EligibilityStatus =
  | 'valid' // 有効
  | 'invalid' // 無効
  | 'invalid_new_available' // 無効（新しい資格あり）
  | 'not_found' // 該当資格なし
  | 'multiple' // 複数該当
  | 'processing'; // 処理中

export interface Qualification {
  insurerNumber: string;
  insurerName: string;
  symbol: string;
  number: string;
  branch: string;
  relationship: 'self' | 'family';
  name: string;
  nameKana: string;
  birthDate: string;
  sex: 'male' | 'female';
  acquiredOn: string;
  validUntil: string | null;
  /** InsuredPartialContributionRatio in tenths (3 = 3割). */
  burdenWari: 1 | 2 | 3;
  preschool: boolean; // 未就学区分
  elderly: { wari: 2 | 3; validFrom: string } | null; // 高齢受給者
  /** 限度額適用区分 A01–A06 / B01–B10, only with the patient's consent. */
  limitCategory: string | null;
  /** 特定疾病療養受療証 (マル長): kind and monthly cap. */
  specificDisease: { kind: 'dialysis' | 'hemophilia' | 'hiv'; capYen: number } | null;
  lossReason?: string | null;
}

export interface EligibilityResponse {
  requestId: string;
  status: EligibilityStatus;
  processedAt: string;
  referenceClassification: 1 | 2; // 1 マイナンバーカード / 2 被保険者証情報
  qualification: Qualification | null;
  /** For invalid_new_available: the newer qualification. */
  newQualification?: Qualification | null;
  consents: {
    limit: { granted: boolean; at: string | null };
    medication: { granted: boolean; at: string | null };
    checkup: { granted: boolean; at: string | null };
  };
}

export const statusLabels: Record<EligibilityStatus, string> = {
  valid: '有効',
  invalid: '無効',
  invalid_new_available: '無効（新しい資格あり）',
  not_found: '該当資格なし',
  multiple: '複数該当',
  processing: '処理中',
};
