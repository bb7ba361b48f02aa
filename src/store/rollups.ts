/**
 * When a metric can be answered from the monthly roll-ups (migration 2026-11-29T1200): a count or
 * a sum of a numeric column, filtered by area and dates only, grouped by nothing, month, quarter or
 * an area kind. The whole months of the date range come from the roll-up; the part months at its
 * ends (a range from 15 March) from the records themselves, so the answer is always exact.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { fieldColumns } from '../domain/ledgers/columns.ts';
import type { GroupBy, Measure, RecordQuery } from '../domain/ledgers/query.ts';
import type { LedgerDef } from '../domain/ledgers/types.ts';
import { ROLLUPS_2026_11_29 } from './migrations/2026-11-29T1200-rollups.ts';
import { inScope, type Scope } from './scope.ts';

export interface RollupPlan {
  table: string;
  /** `n`, or the roll-up's sum column. */
  column: string;
  /** Whole months [from, to] (YYYY-MM; null = open), or null when the range holds no whole month. */
  months: { from: string | null; to: string | null } | null;
  /** Part months at the ends, to read from the records. */
  edges: Array<{ from: string; to: string }>;
}

const pad = (n: number) => String(n).padStart(2, '0');

function lastDay(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return `${month}-${pad(new Date(Date.UTC(y, m, 0)).getUTCDate())}`;
}

function shiftMonth(month: string, by: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + by, 1));
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}`;
}

export function rollupPlan(def: LedgerDef, rq: RecordQuery, measure: Measure, groupBy: GroupBy | null): RollupPlan | null {
  const spec = ROLLUPS_2026_11_29[def.key];
  if (!spec || rq.dateField.key !== def.dateField || rq.filters.length || rq.q) return null;
  if (groupBy && !['month', 'quarter', 'area'].includes(groupBy.kind)) return null;
  let column: string;
  if (measure.kind === 'count') column = 'n';
  else if (measure.kind === 'sum') {
    const c = fieldColumns(measure.field)[0]!.name;
    if (!spec.sums.includes(c)) return null;
    column = `s_${c}`;
  } else return null;

  const edges: RollupPlan['edges'] = [];
  let first: string | null = null;
  let last: string | null = null;
  if (rq.from) {
    first = rq.from.slice(0, 7);
    if (rq.from.slice(8) !== '01') {
      edges.push({ from: rq.from, to: lastDay(first) });
      first = shiftMonth(first, 1);
    }
  }
  if (rq.to) {
    last = rq.to.slice(0, 7);
    if (rq.to !== lastDay(last)) {
      edges.push({ from: `${last}-01`, to: rq.to });
      last = shiftMonth(last, -1);
    }
  }
  if (first !== null && last !== null && first > last) {
    // No whole month in between: the records answer it all.
    return null;
  }
  // Clip the edges to the asked range (both ends in one month was handled above).
  return { table: `ru_${def.key}`, column, months: { from: first, to: last }, edges: edges.map((e) => ({ from: rq.from && e.from < rq.from ? rq.from : e.from, to: rq.to && e.to > rq.to ? rq.to : e.to })) };
}

export interface RawRow extends Record<string, unknown> {
  v: unknown;
  g?: unknown;
}

/** The roll-up part: the total, or rows of (g, v) in the same shape as the records' query. */
export async function rollupRows(db: Kysely<any>, plan: RollupPlan, scope: Scope, groupBy: GroupBy | null, bounded: boolean): Promise<RawRow[]> {
  const conditions: RawBuilder<unknown>[] = [
    scope.path === null ? sql`1 = 1` : sql`ru.area_id in (select sa.id from areas sa where ${inScope('sa.path', scope)})`,
  ];
  // With any bound, records without a date are outside the range, as they are for the records' query.
  if (bounded) conditions.push(sql`ru.month <> ''`);
  if (plan.months?.from) conditions.push(sql`ru.month >= ${plan.months.from}`);
  if (plan.months?.to) conditions.push(sql`ru.month <= ${plan.months.to}`);
  const where = sql.join(conditions, sql` and `);
  const table = sql.table(plan.table);
  const col = sql.ref(`ru.${plan.column}`);
  let q: RawBuilder<RawRow>;
  if (!groupBy) {
    q = sql<RawRow>`select sum(${col}) as v from ${table} ru where ${where}`;
  } else if (groupBy.kind === 'month' || groupBy.kind === 'quarter') {
    const g =
      groupBy.kind === 'month'
        ? sql`ru.month`
        : sql`substr(ru.month, 1, 4) || '-Q' || cast((cast(substr(ru.month, 6, 2) as integer) + 2) / 3 as text)`;
    q = sql<RawRow>`select ${g} as g, sum(${col}) as v from ${table} ru where ${where} group by g having sum(ru.n) > 0`;
  } else if (groupBy.kind === 'area') {
    // Per area first (a few thousand rows), then onto the ancestors of the kind asked for.
    q = sql<RawRow>`select anc.code as g, sum(t.v) as v from (
        select ru.area_id as aid, sum(${col}) as v from ${table} ru where ${where} group by ru.area_id having sum(ru.n) > 0
      ) t join areas a on a.id = t.aid join areas anc on anc.kind = ${groupBy.areaKind} and a.path like anc.path || '%'
      group by anc.code`;
  } else throw new Error('not a roll-up grouping');
  return (await q.execute(db)).rows;
}
