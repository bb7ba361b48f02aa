/**
 * 发展党员 in the store: an applicant's recorded steps (recruitment_steps) on top of the
 * milestone dates of their `applicants` record, the guard on every new step, what is due, the
 * board by stage and the reminders list.
 */
import { sql } from 'kysely';
import { AppError } from '../shared/errors.ts';
import { ledgerByKey } from '../domain/ledgers/catalogue.ts';
import { idBirthDate } from '../domain/id-number.ts';
import { checkStep, currentStage, probationPeriod, stepDef, type RecordedStep, type StepData, type Violation } from '../domain/recruitment/pipeline.ts';
import { dueActions, MILESTONES, withImplied, type DueAction } from '../domain/recruitment/due.ts';
import { RULE_SETS, type RecruitmentRuleSet } from '../domain/recruitment/rules.ts';
import { todayInShanghai } from '../domain/workdays.ts';
import type { Store } from './db.ts';
import { baseQuery, decryptRows, getRecordRow, presentRecord, type Row } from './ledger.repository.ts';
import { RefIndex } from './refs.ts';
import type { Scope } from './scope.ts';
import type { Reader, Write } from './unit-of-work.ts';

const APPLICANTS = ledgerByKey('applicants')!;
const MEMBERS = ledgerByKey('members')!;

export async function getRuleSet(db: Reader): Promise<RecruitmentRuleSet> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', 'recruitment.ruleSet').executeTakeFirst();
  return row?.value === '2026' ? RULE_SETS['2026'] : RULE_SETS['2014'];
}

export async function setRuleSet(w: Write, id: '2014' | '2026'): Promise<void> {
  const before = (await getRuleSet(w.trx)).id;
  const stamp = w.now.toISOString();
  const exists = await w.trx.selectFrom('settings').select('key').where('key', '=', 'recruitment.ruleSet').executeTakeFirst();
  if (exists) await w.trx.updateTable('settings').set({ value: id, updated_at: stamp, updated_by: w.actor.userId }).where('key', '=', 'recruitment.ruleSet').execute();
  else await w.trx.insertInto('settings').values({ key: 'recruitment.ruleSet', value: id, updated_at: stamp, updated_by: w.actor.userId }).execute();
  await w.audit({ action: 'settings', entity: 'settings', entityId: 'recruitment.ruleSet', before: { ruleSet: before }, after: { ruleSet: id } });
}

interface StepRow {
  id: number;
  code: string;
  date: string;
  data: StepData | null;
  recorded: boolean;
}

/** History of one applicant: recorded steps, plus imported milestones not recorded as steps. */
function historyOf(applicant: Row, steps: Array<{ id: number; code: string; date: string; data: string | null }>): { steps: StepRow[]; history: RecordedStep[] } {
  const rows: StepRow[] = steps.map((s) => ({ id: s.id, code: s.code, date: s.date, data: s.data ? (JSON.parse(s.data) as StepData) : null, recorded: true }));
  const recorded = new Set(rows.map((r) => r.code));
  for (const [field, code] of MILESTONES) {
    const date = applicant[field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)];
    // The application is the ledger record itself: recorded, not imported history.
    if (typeof date === 'string' && !recorded.has(code)) rows.push({ id: 0, code, date, data: null, recorded: code === 'apply' });
  }
  rows.sort((a, b) => a.date.localeCompare(b.date) || a.id - b.id);
  const history = withImplied(rows.map((r) => ({ code: r.code, date: r.date, ...(r.data ? { data: r.data } : {}) })));
  return { steps: rows, history };
}

export interface Timeline {
  applicant: Record<string, unknown>;
  ruleSet: { id: string; title: string; awaitingConfirmation: boolean };
  stage: string;
  steps: Array<StepRow & { label: string }>;
  probation: { start: string; end: string; extended: boolean } | null;
  due: DueAction[];
}

export async function getTimeline(store: Store, scope: Scope, applicantId: number, today = todayInShanghai()): Promise<Timeline> {
  const rules = await getRuleSet(store.db);
  const refs = await RefIndex.load(store.db);
  const row = decryptRows(store, APPLICANTS, [await getRecordRow(store.db, APPLICANTS, scope, applicantId)])[0]!;
  const steps = await store.db.selectFrom('recruitment_steps').select(['id', 'code', 'date', 'data']).where('applicant_id', '=', applicantId).orderBy('date').orderBy('id').execute();
  const { steps: rows, history } = historyOf(row, steps);
  return {
    applicant: presentRecord(APPLICANTS, row, refs),
    ruleSet: { id: rules.id, title: rules.title, awaitingConfirmation: rules.awaitingConfirmation },
    stage: currentStage(history),
    steps: rows.map((s) => ({ ...s, label: stepDef(s.code)?.label ?? s.code })),
    probation: probationPeriod(rules, history),
    due: dueActions(rules, history, today),
  };
}

/** Whether a member (of the members ledger) is a full member on a date. */
async function memberPeople(store: Store, db: Reader, ids: number[], date: string, branch: number | null = null) {
  if (!ids.length) return [];
  const rows = decryptRows(store, MEMBERS, (await baseQuery(db, MEMBERS, { path: null }).selectAll('r').where('r.id', 'in', ids).execute()) as Row[]);
  if (rows.length !== new Set(ids).size) throw new AppError('VALIDATION_FAILED', '所选党员不存在');
  return rows.map((r) => ({
    name: String(r.name),
    // Full from the day of conversion; a member recorded as 正式党员 without a date counts as full.
    isFullMember: r.category === '正式党员' && (r.confirmed_on === null || String(r.confirmed_on) <= date),
    ...(branch === null ? {} : { sameBranch: Number(r.org_ref) === branch }),
  }));
}

export interface StepInput {
  code: string;
  date: string;
  data?: StepData & { memberIds?: number[] };
}

/** Checks a step without recording it (the page shows the checks live while the form is filled). */
export async function previewStep(store: Store, scope: Scope, applicantId: number, input: StepInput, db: Reader = store.db): Promise<Violation[]> {
  const rules = await getRuleSet(db);
  const row = decryptRows(store, APPLICANTS, [await getRecordRow(db, APPLICANTS, scope, applicantId)])[0]!;
  const steps = await db.selectFrom('recruitment_steps').select(['id', 'code', 'date', 'data']).where('applicant_id', '=', applicantId).execute();
  const { history } = historyOf(row, steps);
  const data: StepData = { ...(input.data ?? {}) };
  if (input.data?.memberIds) data.people = await memberPeople(store, db, input.data.memberIds, input.date, Number(row.org_ref));
  const birth = typeof row.id_number_enc === 'string' ? idBirthDate(String(row.id_number_enc)) : null;
  return checkStep(rules, history, { code: input.code, date: input.date, data }, birth, todayInShanghai());
}

const SUMMARY: Record<string, string> = Object.fromEntries(MILESTONES.map(([field, step]) => [step, field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)]));

/** Records a step when no rule refuses it; its warnings are kept as findings; the ledger's milestone dates follow. */
export async function recordStep(w: Write, scope: Scope, applicantId: number, input: StepInput): Promise<Violation[]> {
  // Everything inside the write transaction reads through it (on SQLite a read on the root
  // connection would wait for this very transaction).
  const violations = await previewStep(w.store, scope, applicantId, input, w.trx);
  const errors = violations.filter((v) => v.severity === 'error');
  if (errors.length) {
    throw new AppError(
      'VALIDATION_FAILED',
      `${errors[0]!.message}（${errors[0]!.citation.doc}${errors[0]!.citation.article}）`,
      errors.map((e) => ({ field: e.code, message: `${e.message}（${e.citation.doc}${e.citation.article}）` })),
    );
  }
  const rules = await getRuleSet(w.trx);
  const stamp = w.now.toISOString();
  const { memberIds, ...data } = input.data ?? {};
  const applicantRow = await getRecordRow(w.trx, APPLICANTS, scope, applicantId);
  const people = memberIds ? await memberPeople(w.store, w.trx, memberIds, input.date, Number(applicantRow.org_ref)) : undefined;
  const stored = { ...data, ...(memberIds ? { memberIds, people } : {}) };
  await w.trx
    .insertInto('recruitment_steps')
    .values({ applicant_id: applicantId, code: input.code, date: input.date, data: JSON.stringify(stored), rule_set: rules.id, created_at: stamp, created_by: w.actor.userId })
    .execute();
  const column = SUMMARY[input.code];
  if (column) {
    await (w.trx as unknown as import('kysely').Kysely<any>)
      .updateTable('lg_applicants')
      .set({ [column]: input.date, version: sql`version + 1`, updated_at: stamp, updated_by: w.actor.userId })
      .where('id', '=', applicantId)
      .execute();
  }
  const warnings = violations.filter((v) => v.severity === 'warning');
  if (warnings.length) {
    await w.trx
      .insertInto('record_findings')
      .values(warnings.map((v) => ({ ledger: 'applicants', record_id: applicantId, field: input.code, message: `${v.message}（${v.citation.doc}${v.citation.article}）`, source: 'step', created_at: stamp })))
      .execute();
  }
  const applicant = await getRecordRow(w.trx, APPLICANTS, scope, applicantId);
  const area = await w.trx.selectFrom('areas').select('path').where('id', '=', Number(applicant.area_id)).executeTakeFirst();
  await w.audit({ action: 'create', entity: 'recruitment_step', entityId: applicantId, areaPath: area?.path ?? null, after: { code: input.code, label: stepDef(input.code)?.label, date: input.date, data: stored } });
  return warnings;
}

/** People in the pipeline by stage, per branch: one query, stages from the milestone dates. */
export async function stageBoard(store: Store, scope: Scope): Promise<Array<{ org: string; orgName: string; stage: string; count: number }>> {
  const refs = await RefIndex.load(store.db);
  const stage = sql<string>`case
    when r.confirmed_on is not null then 'member'
    when r.approved_on is not null or r.admitted_on is not null then 'probation'
    when r.candidate_on is not null then 'candidate'
    when r.activist_on is not null then 'activist'
    else 'applicant' end`;
  const rows = (await baseQuery(store.db, APPLICANTS, scope)
    .select([sql<number>`r.org_ref`.as('org'), stage.as('stage'), sql<number>`count(*)`.as('n')])
    .groupBy([sql`r.org_ref`, stage])
    .execute()) as Array<{ org: number; stage: string; n: number }>;
  return rows
    .map((r) => ({ org: refs.orgsById.get(Number(r.org))?.code ?? '', orgName: refs.orgsById.get(Number(r.org))?.name ?? '', stage: r.stage, count: Number(r.n) }))
    .sort((a, b) => a.org.localeCompare(b.org));
}

/** Everyone's due actions that fall within `days` of today or are overdue. */
export async function reminders(store: Store, scope: Scope, today: string, days = 31): Promise<Array<{ applicantId: number; name: string; org: string; orgName: string; action: DueAction }>> {
  const rules = await getRuleSet(store.db);
  const refs = await RefIndex.load(store.db);
  const applicants = (await baseQuery(store.db, APPLICANTS, scope).selectAll('r').where('r.confirmed_on', 'is', null).execute()) as Row[];
  if (!applicants.length) return [];
  const steps = await store.db.selectFrom('recruitment_steps').select(['id', 'applicant_id', 'code', 'date', 'data']).where('applicant_id', 'in', applicants.map((a) => Number(a.id))).execute();
  const byApplicant = new Map<number, typeof steps>();
  for (const s of steps) byApplicant.set(s.applicant_id, [...(byApplicant.get(s.applicant_id) ?? []), s]);
  const horizon = new Date(`${today}T00:00:00Z`);
  horizon.setUTCDate(horizon.getUTCDate() + days);
  const until = horizon.toISOString().slice(0, 10);
  const out: Array<{ applicantId: number; name: string; org: string; orgName: string; action: DueAction }> = [];
  for (const a of applicants) {
    const { history } = historyOf(a, byApplicant.get(Number(a.id)) ?? []);
    for (const action of dueActions(rules, history, today)) {
      if (action.latest && action.latest <= until) {
        const org = refs.orgsById.get(Number(a.org_ref));
        out.push({ applicantId: Number(a.id), name: String(a.name), org: org?.code ?? '', orgName: org?.name ?? '', action });
      }
    }
  }
  return out.sort((x, y) => (x.action.latest ?? '').localeCompare(y.action.latest ?? ''));
}
