/**
 * Rules of 组织生活 (domain-rules §2.3) as data with citations: which organizations a rule judges,
 * how often, how many meetings, and the quorum a meeting needs to count. A street may tighten a
 * rule (more meetings per period), never loosen it.
 */

export type Period = 'month' | 'quarter' | 'year';

export interface MeetingRule {
  /** The 会议类型 value of the meetings ledger. */
  meetingType: string;
  /** Organizations judged: kind, plus a condition. */
  orgKind: '党支部' | '党小组' | '党工委';
  /** Judged only while the branch has a committee (支委会). */
  needsCommittee?: boolean;
  period: Period;
  /** Meetings required per period. */
  min: number;
  /** How a meeting must be attended to count. */
  quorum?: 'members' | 'committee';
  rule: string;
}

const BRANCH_RULES = '《中国共产党支部工作条例（试行）》(2018)';

export const DEFAULT_RULES: MeetingRule[] = [
  { meetingType: '支部党员大会', orgKind: '党支部', period: 'quarter', min: 1, quorum: 'members', rule: `${BRANCH_RULES}第十二条：支部党员大会一般每季度召开1次` },
  { meetingType: '支部委员会', orgKind: '党支部', needsCommittee: true, period: 'month', min: 1, quorum: 'committee', rule: `${BRANCH_RULES}第十二条：支部委员会会议一般每月召开1次` },
  { meetingType: '党小组会', orgKind: '党小组', period: 'month', min: 1, rule: `${BRANCH_RULES}第十三条：党小组会一般每月召开1次` },
  { meetingType: '党课', orgKind: '党支部', period: 'quarter', min: 1, rule: `${BRANCH_RULES}第十二条及地方实施办法：党课一般每季度1次` },
  { meetingType: '主题党日', orgKind: '党支部', period: 'month', min: 1, rule: `${BRANCH_RULES}第十二条：每月相对固定1天开展主题党日` },
  { meetingType: '组织生活会', orgKind: '党支部', period: 'year', min: 1, rule: `${BRANCH_RULES}第十二条：组织生活会一般每年召开1次` },
  { meetingType: '民主评议党员', orgKind: '党支部', period: 'year', min: 1, rule: `${BRANCH_RULES}第十二条：民主评议党员一般每年开展1次` },
  { meetingType: '党建工作专题会议', orgKind: '党工委', period: 'quarter', min: 1, rule: '街道党工委党建工作制度：每季度至少召开1次党建工作专题会议' },
];

/** Applies a street's stricter minimums; anything looser than the default is refused. */
export function tightenRules(overrides: Record<string, number>): { rules: MeetingRule[]; errors: string[] } {
  const errors: string[] = [];
  const rules = DEFAULT_RULES.map((r) => {
    const min = overrides[r.meetingType];
    if (min === undefined) return r;
    if (!Number.isInteger(min) || min < r.min) {
      errors.push(`“${r.meetingType}”每${r.period === 'month' ? '月' : r.period === 'quarter' ? '季度' : '年'}至少${r.min}次，只能调高不能调低`);
      return r;
    }
    return { ...r, min, rule: `${r.rule}（本街道要求${min}次）` };
  });
  return { rules, errors };
}

export interface PeriodSpan {
  key: string;
  start: string;
  end: string;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function monthEnd(y: number, m: number): string {
  return `${y}-${pad(m)}-${pad(new Date(Date.UTC(y, m, 0)).getUTCDate())}`;
}

/** The periods of a year for a rule: 2023-01 … 2023-12, 2023-Q1 … Q4, or 2023. */
export function periodsOf(year: number, period: Period): PeriodSpan[] {
  if (period === 'year') return [{ key: String(year), start: `${year}-01-01`, end: `${year}-12-31` }];
  if (period === 'quarter') {
    return [1, 2, 3, 4].map((q) => ({ key: `${year}-Q${q}`, start: `${year}-${pad(q * 3 - 2)}-01`, end: monthEnd(year, q * 3) }));
  }
  return Array.from({ length: 12 }, (_, i) => ({ key: `${year}-${pad(i + 1)}`, start: `${year}-${pad(i + 1)}-01`, end: monthEnd(year, i + 1) }));
}

/** Whether a meeting's attendance makes it count (more than half, 支部工作条例 arts. 12, 14). */
export function quorate(kind: MeetingRule['quorum'], present: number | null, expected: number | null): boolean {
  if (!kind || present === null || expected === null || expected === 0) return true;
  return present * 2 > expected;
}
