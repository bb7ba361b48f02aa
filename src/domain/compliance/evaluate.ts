/**
 * Judges organizations × periods against the meeting rules, as of a date. Pure: the store hands
 * in the organizations (with the dates they existed and had a committee) and the counts of
 * counting meetings per organization, type and month, which it gets in one SQL query.
 */
import { periodsOf, type MeetingRule, type PeriodSpan } from './rules.ts';

export type CellStatus = 'met' | 'missed' | 'due' | 'na';

export interface OrgForCompliance {
  id: number;
  code: string;
  name: string;
  kind: string;
  foundedOn: string | null;
  dissolvedOn: string | null;
  /** Periods of a branch committee: [from, to) with `to` null while it lasts. */
  committees: Array<{ from: string; to: string | null }>;
}

/** Per `${orgId}|${meetingType}`: counting meetings and those below quorum, by month (index 0 = January). */
export type MeetingCounts = Map<string, { held: number[]; below: number[] }>;

export function emptyMonths(): { held: number[]; below: number[] } {
  return { held: new Array<number>(12).fill(0), below: new Array<number>(12).fill(0) };
}

export interface Cell {
  meetingType: string;
  period: string;
  required: number;
  held: number;
  status: CellStatus;
  /** Meetings held but not counted (below quorum). */
  notCounted?: number;
}

export interface Finding {
  org: string;
  meetingType: string;
  period: string;
  message: string;
  rule: string;
}

function exists(org: OrgForCompliance, p: PeriodSpan): boolean {
  return (org.foundedOn === null || org.foundedOn <= p.end) && (org.dissolvedOn === null || org.dissolvedOn > p.start);
}

/** A committee counts for a period when it exists on the period's last day (or its last day of existence). */
function hasCommittee(org: OrgForCompliance, p: PeriodSpan): boolean {
  return org.committees.some((c) => c.from <= p.end && (c.to === null || c.to > p.end));
}

/** Month indexes (0–11) a period of the year covers. */
function monthIndexes(p: PeriodSpan): number[] {
  const from = Number(p.start.slice(5, 7)) - 1;
  const to = Number(p.end.slice(5, 7)) - 1;
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

const PERIOD_WORD = { month: '月', quarter: '季度', year: '年' } as const;

function periodLabel(key: string): string {
  if (/^\d{4}$/.test(key)) return `${key}年`;
  if (key.includes('Q')) return `${key.slice(0, 4)}年第${key.slice(-1)}季度`;
  return `${key.slice(0, 4)}年${Number(key.slice(5))}月`;
}

export function evaluate(
  year: number,
  asOf: string,
  orgs: OrgForCompliance[],
  rules: MeetingRule[],
  counts: MeetingCounts,
): { rows: Array<{ org: string; orgName: string; cells: Cell[] }>; findings: Finding[] } {
  const findings: Finding[] = [];
  // Periods and their months are the same for every organization: worked out once per rule.
  const plans = rules.map((rule) => ({ rule, periods: periodsOf(year, rule.period).map((p) => ({ p, months: monthIndexes(p) })) }));
  const none = emptyMonths();
  const rows = orgs.map((org) => {
    const cells: Cell[] = [];
    for (const { rule, periods } of plans) {
      if (rule.orgKind !== org.kind) continue;
      const c = counts.get(`${org.id}|${rule.meetingType}`) ?? none;
      for (const { p, months } of periods) {
        let held = 0;
        let notCounted = 0;
        for (const m of months) {
          held += c.held[m]!;
          notCounted += c.below[m]!;
        }
        const applies = exists(org, p) && (!rule.needsCommittee || hasCommittee(org, p));
        let status: CellStatus;
        if (!applies) status = 'na';
        else if (held >= rule.min) status = 'met';
        else if (p.end >= asOf) status = 'due';
        else status = 'missed';
        cells.push({ meetingType: rule.meetingType, period: p.key, required: applies ? rule.min : 0, held, status, ...(notCounted ? { notCounted } : {}) });
        if (status === 'missed') {
          const quorumNote = notCounted ? `；另有${notCounted}次会议到会人数未过半数，不计入` : '';
          findings.push({
            org: org.code,
            meetingType: rule.meetingType,
            period: p.key,
            message: `${org.name}${periodLabel(p.key)}${rule.meetingType}应召开${rule.min}次，实际${held}次${quorumNote}（每${PERIOD_WORD[rule.period]}至少${rule.min}次）`,
            rule: rule.rule,
          });
        }
      }
    }
    return { org: org.code, orgName: org.name, cells };
  });
  return { rows: rows.filter((r) => r.cells.length), findings };
}
