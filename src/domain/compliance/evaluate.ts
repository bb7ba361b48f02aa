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

export interface MeetingCounts {
  /** Counting meetings per `${orgId}|${meetingType}|${YYYY-MM}`. */
  held: Map<string, number>;
  /** Meetings not counted for want of a quorum, same key. */
  belowQuorum: Map<string, number>;
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

function monthsOf(p: PeriodSpan): string[] {
  const out: string[] = [];
  let [y, m] = p.start.split('-').map(Number) as [number, number];
  const end = p.end.slice(0, 7);
  for (;;) {
    const key = `${y}-${String(m).padStart(2, '0')}`;
    out.push(key);
    if (key >= end) return out;
    m++;
    if (m > 12) [y, m] = [y + 1, 1];
  }
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
  const rows = orgs.map((org) => {
    const cells: Cell[] = [];
    for (const rule of rules) {
      if (rule.orgKind !== org.kind) continue;
      for (const p of periodsOf(year, rule.period)) {
        let held = 0;
        let notCounted = 0;
        for (const m of monthsOf(p)) {
          const key = `${org.id}|${rule.meetingType}|${m}`;
          held += counts.held.get(key) ?? 0;
          notCounted += counts.belowQuorum.get(key) ?? 0;
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
