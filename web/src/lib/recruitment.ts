/**
 * 发展党员 in the web app: the API's shapes, how a person's stage reads, which steps are done
 * (imported milestones imply the steps before them) and which may be recorded next.
 */
import type { StageKey } from '../../../src/domain/recruitment/pipeline.ts';
import type { Citation } from '../../../src/domain/recruitment/rules.ts';
import type { VoteCount } from '../../../src/domain/recruitment/vote.ts';

export type { StageKey, Citation, VoteCount };

export interface StepInfo {
  code: string;
  no: number | null;
  label: string;
  stage: StageKey;
  after: string[];
  repeatable: boolean;
}

export interface RuleSetInfo {
  id: '2014' | '2026';
  title: string;
  awaitingConfirmation: boolean;
  [k: string]: unknown;
}

export interface StepsAnswer {
  stages: Array<{ key: StageKey; label: string }>;
  steps: StepInfo[];
  ruleSet: RuleSetInfo;
}

export interface StepData {
  memberIds?: number[];
  people?: Array<{ name: string; isFullMember: boolean }>;
  conclusion?: 'passed' | 'failed';
  days?: number;
  hours?: number;
  from?: string;
  to?: string;
  leavingWithinThreeMonths?: boolean;
  vote?: VoteCount;
  months?: number;
  note?: string;
  implied?: boolean;
}

export interface TimelineStep {
  id: number;
  code: string;
  label: string;
  date: string;
  data: StepData | null;
  /** false: a milestone date of the ledger record (imported history), not a recorded step. */
  recorded: boolean;
}

export interface DueAction {
  code: string;
  label: string;
  earliest: string | null;
  latest: string | null;
  overdue: boolean;
  note: string;
}

export interface Applicant {
  id: number;
  name: string;
  gender: string | null;
  idNumber: string | null;
  org: string;
  appliedOn: string | null;
  activistOn: string | null;
  candidateOn: string | null;
  admittedOn: string | null;
  approvedOn: string | null;
  confirmedOn: string | null;
  areaCode?: string | null;
  areaName?: string | null;
  [k: string]: unknown;
}

export interface Timeline {
  applicant: Applicant;
  ruleSet: { id: string; title: string; awaitingConfirmation: boolean };
  stage: StageKey | 'member' | 'cancelled';
  steps: TimelineStep[];
  probation: { start: string; end: string; extended: boolean } | null;
  due: DueAction[];
}

export interface Violation {
  code: string;
  message: string;
  severity: 'error' | 'warning';
  citation: Citation;
}

export interface BoardItem {
  org: string;
  orgName: string;
  stage: BoardStage;
  count: number;
}

export interface Reminder {
  applicantId: number;
  name: string;
  org: string;
  action: DueAction;
}

/** Stages of the board: a person counts where their milestone dates put them. */
export type BoardStage = 'applicant' | 'activist' | 'candidate' | 'probation' | 'member';

export const BOARD_STAGES: Array<{ key: BoardStage; label: string; short: string; color: string }> = [
  { key: 'applicant', label: '入党申请人', short: '申请', color: '#8c9bb0' },
  { key: 'activist', label: '入党积极分子', short: '积极', color: '#e8a33d' },
  { key: 'candidate', label: '发展对象', short: '对象', color: '#e0662f' },
  { key: 'probation', label: '预备党员', short: '预备', color: '#c0392b' },
  { key: 'member', label: '已转正', short: '转正', color: '#3f8f5a' },
];

/** A ledger record's stage, the same way the server's board counts it. */
export function boardStageOf(r: Record<string, unknown>): BoardStage {
  if (r.confirmedOn) return 'member';
  if (r.approvedOn || r.admittedOn) return 'probation';
  if (r.candidateOn) return 'candidate';
  if (r.activistOn) return 'activist';
  return 'applicant';
}

/** Codes done: every step on the timeline and every step they imply (their `after`, transitively). */
export function doneCodes(steps: StepInfo[], timeline: TimelineStep[]): Set<string> {
  const byCode = new Map(steps.map((s) => [s.code, s]));
  const done = new Set<string>();
  const queue = timeline.map((t) => t.code);
  while (queue.length) {
    const c = queue.shift()!;
    if (done.has(c)) continue;
    done.add(c);
    for (const prior of byCode.get(c)?.after ?? []) queue.push(prior);
  }
  return done;
}

/** Steps that may be recorded now: their prior steps done, not yet recorded (unless periodic), the process not closed. */
export function availableSteps(steps: StepInfo[], timeline: TimelineStep[]): StepInfo[] {
  const done = doneCodes(steps, timeline);
  if (done.has('cancellation') || done.has('archive')) return [];
  return steps.filter((s) => s.code !== 'apply' && (s.repeatable || !done.has(s.code)) && s.after.every((a) => done.has(a)));
}

/** Index (0–4) of the stage the person is in on the 5-stage bar; 5 when all are complete. */
export function stageIndex(t: Pick<Timeline, 'stage' | 'steps'>, stages: Array<{ key: string }>): number {
  if (t.stage === 'member') return stages.length;
  if (t.stage === 'cancelled') return stages.length - 1;
  // Approved by the upper committee: the 4th stage is complete, probation has begun.
  if (t.stage === 'admission' && t.steps.some((s) => s.code === 'approval')) return stages.length - 1;
  const i = stages.findIndex((s) => s.key === t.stage);
  return i < 0 ? 0 : i;
}

/** What the person is now, in the words a clerk uses. */
export function personStage(t: Pick<Timeline, 'stage' | 'steps'>): { label: string; color: string } {
  switch (t.stage) {
    case 'applicant':
      return { label: '入党申请人', color: 'default' };
    case 'activist':
      return { label: '入党积极分子', color: 'gold' };
    case 'candidate':
      return { label: '发展对象', color: 'orange' };
    case 'admission':
      return t.steps.some((s) => s.code === 'approval') ? { label: '预备党员', color: 'red' } : { label: '接收预备党员中', color: 'volcano' };
    case 'probation':
      return { label: '预备党员', color: 'red' };
    case 'member':
      return { label: '正式党员（已转正）', color: 'green' };
    case 'cancelled':
      return { label: '已取消预备党员资格', color: 'default' };
  }
}

export function citationText(c: Citation): string {
  return `${c.doc}${c.article}`;
}

/** Whole days from a to b (dates as YYYY-MM-DD). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** The step's data in one line: who, what, how many. */
export function describeData(code: string, d: StepData | null): string[] {
  if (!d) return [];
  const out: string[] = [];
  if (d.people?.length) out.push(`${code === 'sponsors' ? '入党介绍人' : '培养联系人'}：${d.people.map((p) => p.name).join('、')}`);
  if (d.conclusion) out.push(`政审结论：${d.conclusion === 'passed' ? '合格' : '不合格'}`);
  if (d.days !== undefined || d.hours !== undefined) {
    out.push(`培训${[d.days !== undefined ? `${d.days}天` : '', d.hours !== undefined ? `${d.hours}学时` : ''].filter(Boolean).join(' / ')}`);
  }
  if (d.from && d.to) out.push(`公示${d.from}至${d.to}`);
  if (d.leavingWithinThreeMonths) out.push('三个月内将离开工作、学习单位');
  if (d.vote) {
    const v = d.vote;
    const written = (v.writtenYes ?? 0) + (v.writtenNo ?? 0) > 0 ? `；书面意见赞成${v.writtenYes ?? 0}、反对${v.writtenNo ?? 0}` : '';
    out.push(`应到${v.shouldAttend}人，实到${v.present}人；赞成${v.yes}、反对${v.no}、弃权${v.abstain}${written}`);
  }
  if (d.months) out.push(`延长${d.months}个月`);
  if (d.note) out.push(`备注：${d.note}`);
  return out;
}
