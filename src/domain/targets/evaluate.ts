/**
 * Targets (责任清单, 目标责任书): a metric query compared with a threshold over each period of the
 * year ("每季度至少召开1次…" is four quarterly checks). Pure: the store supplies each period's value.
 */
import { periodsOf, type Period } from '../compliance/rules.ts';

export type Comparison = '>=' | '<=' | '=';
export type TargetStatus = 'met' | 'missed' | 'onTrack' | 'atRisk' | 'notStarted';

export const STATUS_LABELS: Record<TargetStatus, string> = {
  met: '已完成',
  missed: '未完成',
  onTrack: '进度正常',
  atRisk: '进度滞后',
  notStarted: '未开始',
};

export interface PeriodResult {
  period: string;
  from: string;
  to: string;
  value: number;
  status: TargetStatus;
}

function holds(value: number, cmp: Comparison, threshold: number): boolean {
  return cmp === '>=' ? value >= threshold : cmp === '<=' ? value <= threshold : value === threshold;
}

function days(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

/**
 * One period: over → met or missed; not begun → not started; running → met once it holds for an
 * "at least" target, else on track when the value keeps pace with the time elapsed, at risk when not.
 * An "at most" target that is exceeded is missed at once: it cannot come back.
 */
export function judgePeriod(value: number, cmp: Comparison, threshold: number, from: string, to: string, asOf: string): TargetStatus {
  if (asOf < from) return 'notStarted';
  const over = asOf > to;
  if (cmp === '<=') {
    if (!holds(value, cmp, threshold)) return 'missed';
    return over ? 'met' : 'onTrack';
  }
  if (holds(value, cmp, threshold) && cmp === '>=') return 'met';
  if (over) return holds(value, cmp, threshold) ? 'met' : 'missed';
  const elapsed = Math.min(1, days(from, asOf) / days(from, to));
  return value >= threshold * elapsed ? 'onTrack' : 'atRisk';
}

export function targetPeriods(year: number, period: Period) {
  return periodsOf(year, period).map((p) => ({ period: p.key, from: p.start, to: p.end }));
}

/** The whole target: missed if a period is missed, met when all are, else as the running period goes. */
export function overall(results: PeriodResult[]): TargetStatus {
  if (results.some((r) => r.status === 'missed')) return 'missed';
  if (results.every((r) => r.status === 'met')) return 'met';
  if (results.some((r) => r.status === 'atRisk')) return 'atRisk';
  if (results.every((r) => r.status === 'notStarted')) return 'notStarted';
  return 'onTrack';
}
