/**
 * Targets with their progress computed live from records: each period's value is a metric query
 * over the owner area, judged against the threshold; a street target split among communities
 * shows the parts and rolls them up.
 */
import { AppError } from '../shared/errors.ts';
import { ledgerByKey } from '../domain/ledgers/catalogue.ts';
import { parseMeasure, parseRecordQuery } from '../domain/ledgers/query.ts';
import { judgePeriod, overall, STATUS_LABELS, targetPeriods, type Comparison, type PeriodResult, type TargetStatus } from '../domain/targets/evaluate.ts';
import type { Period } from '../domain/compliance/rules.ts';
import type { Store } from './db.ts';
import { runMetric } from './metrics.ts';
import { inScope, type Scope } from './scope.ts';
import { getAreaByCode } from './trees.repository.ts';
import type { Reader, Write } from './unit-of-work.ts';

export interface TargetInput {
  areaCode: string;
  year: number;
  title: string;
  ledger: string;
  measure: string;
  filters?: Record<string, string>;
  dateField?: string | null;
  q?: string | null;
  comparison: Comparison;
  threshold: number;
  period: Period;
  dueOn?: string;
}

export interface TargetView {
  id: number;
  parentId: number | null;
  title: string;
  areaCode: string;
  areaName: string;
  year: number;
  metric: { ledger: string; measure: string; filters: Record<string, string>; dateField: string | null; q: string | null };
  comparison: Comparison;
  threshold: number;
  period: Period;
  dueOn: string;
  version: number;
  status: TargetStatus;
  statusLabel: string;
  /** The value over the whole year (for a yearly target, the only one). */
  value: number;
  periods: PeriodResult[];
  /** The metric query of the year's value: its records are one click away. */
  query: string;
  parts: TargetView[];
}

function metricParams(t: { ledger: string; measure: string; filters: Record<string, string>; dateField: string | null; q: string | null }, areaCode: string, from: string, to: string) {
  const params: Record<string, string> = { ledger: t.ledger, measure: t.measure, area: areaCode, from, to };
  if (t.dateField) params.dateField = t.dateField;
  if (t.q) params.q = t.q;
  for (const [k, v] of Object.entries(t.filters)) params[`f.${k}`] = v;
  return params;
}

/** Validates a target's metric by running it once (a wrong field or measure is refused now, not later). */
function checkMetric(input: Omit<TargetInput, 'areaCode'>): void {
  const def = ledgerByKey(input.ledger);
  if (!def) throw new AppError('VALIDATION_FAILED', `没有“${input.ledger}”这个台账`);
  const m = parseMeasure(def, input.measure);
  if (m.kind === 'rate' && input.threshold > 1) throw new AppError('VALIDATION_FAILED', '比率目标的阈值应在0到1之间');
  parseRecordQuery(def, metricParams({ ledger: input.ledger, measure: input.measure, filters: input.filters ?? {}, dateField: input.dateField ?? null, q: input.q ?? null }, 'X', `${input.year}-01-01`, `${input.year}-12-31`));
}

export async function createTarget(w: Write, scope: Scope, input: TargetInput, parentId: number | null = null): Promise<number> {
  const area = await getAreaByCode(w.trx, scope, input.areaCode).catch(() => {
    throw new AppError('VALIDATION_FAILED', `区域编码“${input.areaCode}”不存在或不在您的管辖范围内`);
  });
  checkMetric(input);
  if (!Number.isFinite(input.threshold) || input.threshold < 0) throw new AppError('VALIDATION_FAILED', '目标值应为不小于0的数');
  const stamp = w.now.toISOString();
  const { id } = await w.trx
    .insertInto('targets')
    .values({
      area_id: area.id,
      year: input.year,
      title: input.title,
      ledger: input.ledger,
      measure: input.measure,
      filters: JSON.stringify(input.filters ?? {}),
      date_field: input.dateField ?? null,
      q: input.q ?? null,
      comparison: input.comparison,
      threshold: String(input.threshold),
      period: input.period,
      due_on: input.dueOn ?? `${input.year}-12-31`,
      parent_id: parentId,
      created_at: stamp,
      created_by: w.actor.userId,
      updated_at: stamp,
      updated_by: w.actor.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await w.audit({ action: 'create', entity: 'target', entityId: Number(id), areaPath: area.path, after: input });
  return Number(id);
}

export async function deleteTarget(w: Write, scope: Scope, id: number): Promise<void> {
  const t = await w.trx.selectFrom('targets as t').innerJoin('areas as a', 'a.id', 't.area_id').selectAll('t').select('a.path').where('t.id', '=', id).where(inScope('a.path', scope)).executeTakeFirst();
  if (!t) throw new AppError('NOT_FOUND', '没有该目标');
  await w.trx.deleteFrom('targets').where('parent_id', '=', id).execute();
  await w.trx.deleteFrom('targets').where('id', '=', id).execute();
  await w.audit({ action: 'delete', entity: 'target', entityId: id, areaPath: t.path, before: { title: t.title, threshold: t.threshold } });
}

/** Splits a target among areas under its owner (each part the same metric over its own area). */
export async function splitTarget(w: Write, scope: Scope, id: number, parts: Array<{ areaCode: string; threshold: number }>): Promise<void> {
  const t = await w.trx.selectFrom('targets as t').innerJoin('areas as a', 'a.id', 't.area_id').selectAll('t').select(['a.path', 'a.code']).where('t.id', '=', id).where(inScope('a.path', scope)).executeTakeFirst();
  if (!t) throw new AppError('NOT_FOUND', '没有该目标');
  if (t.parent_id !== null) throw new AppError('VALIDATION_FAILED', '分解后的目标不能再分解');
  for (const part of parts) {
    const area = await getAreaByCode(w.trx, scope, part.areaCode);
    if (!area.path.startsWith(t.path) || area.path === t.path) throw new AppError('VALIDATION_FAILED', `“${part.areaCode}”不在目标责任区域之下`);
    await createTarget(
      w,
      scope,
      {
        areaCode: part.areaCode,
        year: t.year,
        title: t.title,
        ledger: t.ledger,
        measure: t.measure,
        filters: JSON.parse(t.filters) as Record<string, string>,
        dateField: t.date_field,
        q: t.q,
        comparison: t.comparison as Comparison,
        threshold: part.threshold,
        period: t.period as Period,
        dueOn: t.due_on,
      },
      id,
    );
  }
}

async function evaluateOne(store: Store, row: { path: string; id: number; parent_id: number | null; title: string; year: number; ledger: string; measure: string; filters: string; date_field: string | null; q: string | null; comparison: string; threshold: string; period: string; due_on: string; version: number; code: string; name: string }, asOf: string): Promise<TargetView> {
  const def = ledgerByKey(row.ledger)!;
  const metric = { ledger: row.ledger, measure: row.measure, filters: JSON.parse(row.filters) as Record<string, string>, dateField: row.date_field, q: row.q };
  const measure = parseMeasure(def, row.measure);
  const valueOf = async (from: string, to: string) => {
    // Over the target's own area (a part counts its community, the street its whole subtree).
    const r = await runMetric(store, def, { path: row.path }, parseRecordQuery(def, metricParams(metric, row.code, from, to)), measure, null);
    return Number(r.value);
  };
  const threshold = Number(row.threshold);
  const cmp = row.comparison as Comparison;
  const periods: PeriodResult[] = [];
  for (const p of targetPeriods(row.year, row.period as Period)) {
    const value = asOf < p.from ? 0 : await valueOf(p.from, p.to);
    periods.push({ ...p, value, status: judgePeriod(value, cmp, threshold, p.from, p.to, asOf) });
  }
  const yearParams = metricParams(metric, row.code, `${row.year}-01-01`, `${row.year}-12-31`);
  const status = overall(periods);
  return {
    id: row.id,
    parentId: row.parent_id,
    title: row.title,
    areaCode: row.code,
    areaName: row.name,
    year: row.year,
    metric,
    comparison: cmp,
    threshold,
    period: row.period as Period,
    dueOn: row.due_on,
    version: row.version,
    status,
    statusLabel: STATUS_LABELS[status],
    value: row.period === 'year' ? periods[0]!.value : await valueOf(`${row.year}-01-01`, `${row.year}-12-31`),
    periods,
    query: `/api/metrics/query?${new URLSearchParams(yearParams)}`,
    parts: [],
  };
}

/** Targets of a year in the scope, with live progress; parts nested under the target they split. */
export async function listTargets(store: Store, scope: Scope, year: number, asOf: string, db: Reader = store.db): Promise<TargetView[]> {
  const rows = await db
    .selectFrom('targets as t')
    .innerJoin('areas as a', 'a.id', 't.area_id')
    .selectAll('t')
    .select(['a.code', 'a.name', 'a.path'])
    .where('t.year', '=', year)
    .where(inScope('a.path', scope))
    .orderBy('t.id')
    .execute();
  const views = new Map<number, TargetView>();
  for (const r of rows) views.set(r.id, await evaluateOne(store, { ...r, version: Number(r.version) }, asOf));
  const top: TargetView[] = [];
  for (const v of views.values()) {
    const parent = v.parentId !== null ? views.get(v.parentId) : undefined;
    if (parent) parent.parts.push(v);
    else top.push(v);
  }
  return top;
}
