/** A submission's state as a badge: 送信待ち / 再送中 / 送信済 (time) / エラー / 送信失敗 / 取消（同意撤回）. */
export function SubmissionState(props: {
  state: string;
  sentAt?: Date | null;
  lastError?: string;
  attempts?: number;
}) {
  const color =
    props.state === '送信済'
      ? 'bg-emerald-50 text-emerald-800'
      : props.state === 'エラー' || props.state === '送信失敗'
        ? 'bg-red-100 text-red-900'
        : props.state === '取消（同意撤回）'
          ? 'bg-slate-200 text-slate-700'
          : 'bg-amber-100 text-amber-900';
  return (
    <span className={`rounded px-2 py-0.5 text-sm ${color}`} data-testid="submission-state">
      {props.state}
      {props.state === '送信済' &&
        props.sentAt &&
        ` ${props.sentAt.toLocaleString('ja-JP', { timeZone: 'Asia/Tokyo' })}`}
      {props.state === '再送中' && props.attempts ? `（${props.attempts}回失敗）` : ''}
      {props.lastError && props.state !== '送信済' && <span className="ml-1">: {props.lastError}</span>}
    </span>
  );
}

export const kindLabels: Record<string, string> = {
  conditions: '傷病名',
  allergies: 'アレルギー・薬剤禁忌',
  labs: '検査・感染症',
  delete: '削除',
  referral: '診療情報提供書',
  discharge: '退院時サマリー',
  checkup: '健康診断結果報告書',
};
