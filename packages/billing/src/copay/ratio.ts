import { burdenRatio } from '@karte/domain';
import type { Kubun } from './kubun';

export interface VisitRatio {
  ratio: number;
  reason: string;
}

/**
 * 負担割合 on a visit date: the recorded ratio when given (0 = no insurance share, e.g. 生活保護単独), otherwise the
 * age rule of @karte/domain (NOTES §3.2). A known 区分 tells the age rule what it cannot know: 現役並み → 3割,
 * 後期 一般Ⅱ → 2割.
 */
export function visitRatio(
  birthDate: string,
  date: string,
  ratio: number | undefined,
  kubun?: Kubun,
): VisitRatio {
  if (ratio !== undefined) {
    return { ratio, reason: ratio === 0 ? '保険給付なし（公費単独・自費）' : '登録された負担割合' };
  }
  const activeIncome = kubun?.startsWith('現役並み') ?? false;
  const r = burdenRatio(birthDate, date, {
    activeIncome,
    lateElderlyWari: activeIncome ? 3 : kubun === '一般Ⅱ' ? 2 : 1,
  });
  return { ratio: r.wari, reason: r.reason };
}
