/**
 * What is due next for a person in the pipeline: each step that may be taken now, with its
 * earliest and latest date under the rule set, and whether it is overdue — the source of the
 * timeline's "下一步", the branch board and the reminders list.
 */
import { addDays, addMonths } from '../workdays.ts';
import { probationPeriod, stepDef, STEPS, type RecordedStep } from './pipeline.ts';
import type { RecruitmentRuleSet } from './rules.ts';

export interface DueAction {
  code: string;
  label: string;
  earliest: string | null;
  latest: string | null;
  overdue: boolean;
  /** Why these dates, in Chinese. */
  note: string;
}

const OPTIONAL = new Set(['extension', 'cancellation', 'probationReview', 'approvalFiled', 'activistFiled', 'candidateFiled', 'assigned', 'upperTalk']);

function latestOf(history: RecordedStep[], code: string): string | null {
  let d: string | null = null;
  for (const s of history) if (s.code === code && (d === null || s.date > d)) d = s.date;
  return d;
}

export function dueActions(rules: RecruitmentRuleSet, history: RecordedStep[], today: string): DueAction[] {
  if (history.some((s) => s.code === 'cancellation' || s.code === 'archive')) return [];
  const done = new Set(history.map((s) => s.code));
  const out: DueAction[] = [];
  const at = (c: string) => latestOf(history, c);
  const probation = probationPeriod(rules, history);

  for (const step of STEPS) {
    if (OPTIONAL.has(step.code) && step.code !== 'upperTalk') continue;
    const def = stepDef(step.code)!;
    if (done.has(step.code) && !def.repeatable) continue;
    if (!def.after.every((a) => done.has(a))) continue;
    let earliest: string | null = def.after.reduce<string | null>((m, a) => {
      const d = at(a);
      return d && (!m || d > m) ? d : m;
    }, null);
    let latest: string | null = null;
    let note = '';
    switch (step.code) {
      case 'talk':
        latest = addMonths(at('apply')!, rules.talkWithinMonths);
        note = `收到入党申请书后${rules.talkWithinMonths}个月内`;
        break;
      case 'activistReview': {
        if (done.has('candidate')) continue;
        const last = at('activistReview') ?? at('activist')!;
        earliest = last;
        latest = addMonths(last, rules.activistReviewMonths);
        note = `每${rules.activistReviewMonths}个月考察一次`;
        break;
      }
      case 'candidate': {
        const e = addMonths(at('activist')!, rules.activistMinMonths);
        earliest = earliest && earliest > e ? earliest : e;
        note = '确定为积极分子一年以上';
        break;
      }
      case 'publicNotice':
        if (rules.publicNoticeBefore === 'prereview' && !done.has('candidate')) continue;
        // Past the step the notice guards (imported history, say), it is no longer due.
        if (done.has(rules.publicNoticeBefore)) continue;
        note = `公示不少于${rules.publicNoticeWorkdays}个工作日`;
        break;
      case 'approval':
        latest = addMonths(at('admissionVote')!, rules.approvalMonths);
        note = `支部大会通过后${rules.approvalMonths}个月内（特殊情况不超过${rules.approvalMaxMonths}个月）`;
        break;
      case 'oath':
        if (rules.oathWithinMonthsOfApproval !== null) latest = addMonths(at('approval')!, rules.oathWithinMonthsOfApproval);
        note = '预备期内尽早宣誓';
        break;
      case 'conversionRequest':
        earliest = probation ? addDays(probation.end, -30) : earliest;
        latest = probation?.end ?? null;
        note = `预备期${probation ? `至${probation.end}` : ''}满前提出`;
        break;
      case 'conversionVote':
        earliest = probation?.end ?? earliest;
        latest = probation ? addMonths(probation.end, 1) : null;
        note = '预备期满后及时讨论';
        break;
      case 'conversionApproval':
        latest = addMonths(at('conversionVote')!, rules.conversionApprovalMonths);
        note = `支部大会通过后${rules.conversionApprovalMonths}个月内`;
        break;
    }
    out.push({ code: step.code, label: def.label, earliest, latest, overdue: latest !== null && latest < today, note });
  }
  return out.sort((a, b) => (a.latest ?? a.earliest ?? '9999').localeCompare(b.latest ?? b.earliest ?? '9999'));
}

/**
 * Milestone dates of the `applicants` ledger as steps, for people whose history was imported
 * rather than recorded step by step.
 */
export const MILESTONES: Array<[field: string, step: string]> = [
  ['appliedOn', 'apply'],
  ['activistOn', 'activist'],
  ['candidateOn', 'candidate'],
  ['admittedOn', 'admissionVote'],
  ['approvedOn', 'approval'],
  ['confirmedOn', 'conversionApproval'],
];

/**
 * Steps implied by recorded ones: a person imported as 发展对象 went through the steps before it,
 * on dates the file does not give. They count as done (dated with the step that implies them).
 */
export function withImplied(history: RecordedStep[]): RecordedStep[] {
  const out = [...history];
  const have = new Set(history.map((s) => s.code));
  const queue = [...history];
  while (queue.length) {
    const s = queue.shift()!;
    for (const prior of stepDef(s.code)?.after ?? []) {
      if (have.has(prior)) continue;
      have.add(prior);
      const implied = { code: prior, date: s.date, data: { implied: true } as never };
      out.push(implied);
      queue.push(implied);
    }
  }
  return out.sort((a, b) => a.date.localeCompare(b.date));
}
