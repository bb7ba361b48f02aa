/**
 * The metric engine (CONTRACTS §2): every figure the platform shows is one of these queries,
 * compiled to a single SQL statement over the ledger's table on either database. Money and
 * quantities are summed as integers and formatted exactly.
 */
import { sql, type Kysely } from 'kysely';
import { fieldColumns, snake } from '../domain/ledgers/columns.ts';
import { WORK_UNITS } from '../domain/ledgers/catalogue.ts';
import { formatFieldValue, scaledIntToDecimal } from '../domain/ledgers/values.ts';
import { AGE_BANDS, YEAR_BANDS, type GroupBy, type Measure, type RecordQuery } from '../domain/ledgers/query.ts';
import { todayInShanghai } from '../domain/workdays.ts';
import type { LedgerDef } from '../domain/ledgers/types.ts';
import type { Store } from './db.ts';
import { applyRecordQuery, baseQuery } from './ledger.repository.ts';
import { RefIndex } from './refs.ts';
import { rollupPlan, rollupRows } from './rollups.ts';
import type { Scope } from './scope.ts';

export type MetricValue = number | string;

export interface MetricResult {
  value: MetricValue;
  unit: string | null;
  groups?: Array<{ key: string; label: string; value: MetricValue }>;
}

function measureUnit(def: LedgerDef, m: Measure, rq: RecordQuery): string | null {
  switch (m.kind) {
    case 'count':
      return '条';
    case 'distinct':
    case 'coverage':
      return '个';
    case 'rate':
      return null;
    case 'sum': {
      if (m.field.type === 'amount') return '元';
      if (def.key === 'works' && m.field.key === 'quantity') {
        // A quantity of works has the unit of its category, when the query names one category.
        const cat = rq.filters.find((f) => f.field.key === 'category' && f.kind === 'in');
        if (cat && cat.kind === 'in' && cat.values.length === 1) return WORK_UNITS[String(cat.values[0])] ?? null;
        return null;
      }
      return m.field.unit ?? null;
    }
  }
}

/** Exact formatting of an SQL sum (a JS number on SQLite, a numeric string on PostgreSQL). */
function formatSum(m: Extract<Measure, { kind: 'sum' }>, raw: unknown): MetricValue {
  const n = raw === null || raw === undefined ? 0n : BigInt(String(raw).replace(/\.0+$/, ''));
  if (m.field.type === 'amount') return scaledIntToDecimal(Number(n), 2);
  if (m.field.type === 'quantity') {
    const s = scaledIntToDecimal(Number(n), 3, true);
    return s === '' ? '0' : s;
  }
  return Number(n);
}

type Raw = Record<string, unknown>;

/** Adds the parts' values (integers: counts and sums of scaled integers) exactly. */
function addRaw(a: unknown, b: unknown): string {
  const big = (x: unknown) => (x === null || x === undefined ? 0n : BigInt(String(x).replace(/\.0+$/, '')));
  return String(big(a) + big(b));
}

export async function runMetric(
  store: Store,
  def: LedgerDef,
  scope: Scope,
  rq: RecordQuery,
  measure: Measure,
  groupBy: GroupBy | null,
): Promise<MetricResult> {
  const refs = await RefIndex.load(store.db);
  const plan = rollupPlan(def, rq, measure, groupBy);
  let total: Raw;
  let grouped: Raw[] | null;
  if (!plan) ({ total, grouped } = await recordsRaw(store, def, scope, rq, measure, groupBy, refs));
  else {
    // Whole months from the roll-up, the part months at the ends from the records; added exactly.
    const parts: Array<{ total: Raw; grouped: Raw[] | null }> = [];
    for (const e of plan.edges) parts.push(await recordsRaw(store, def, scope, { ...rq, from: e.from, to: e.to }, measure, groupBy, refs));
    const bounded = Boolean(rq.from || rq.to);
    const db = store.read as unknown as Kysely<any>;
    parts.push({
      total: ((await rollupRows(db, plan, scope, null, bounded))[0] ?? { v: null }) as Raw,
      grouped: groupBy ? ((await rollupRows(db, plan, scope, groupBy, bounded)) as Raw[]) : null,
    });
    total = { v: parts.reduce<unknown>((acc, p) => addRaw(acc, p.total.v), 0) };
    grouped = null;
    if (groupBy) {
      const byKey = new Map<unknown, Raw>();
      for (const p of parts) for (const r of p.grouped ?? []) {
        const seen = byKey.get(r.g);
        if (seen) seen.v = addRaw(seen.v, r.v);
        else byKey.set(r.g, { g: r.g, v: addRaw(0, r.v) });
      }
      grouped = [...byKey.values()];
    }
  }
  return present(def, rq, measure, groupBy, refs, total, grouped);
}

/** The metric over the records themselves: the total row and, when grouped, rows of (g, value). */
async function recordsRaw(
  store: Store,
  def: LedgerDef,
  scope: Scope,
  rq: RecordQuery,
  measure: Measure,
  groupBy: GroupBy | null,
  refs: RefIndex,
): Promise<{ total: Raw; grouped: Raw[] | null }> {
  let q = applyRecordQuery(baseQuery(store.read, def, scope), def, rq, refs, store);
  const col = (f: { key: string; type: string }) => {
    const cols = fieldColumns(f as never);
    return `r.${f.type === 'idNumber' || f.type === 'phone' ? cols[1]!.name : cols[0]!.name}`;
  };

  let select: Array<ReturnType<typeof sql>> = [];
  // The same aggregates over the per-area rows of the pre-aggregation below.
  let outer: Array<ReturnType<typeof sql>> = [];
  switch (measure.kind) {
    case 'count':
      select = [sql`count(*)`.as('v') as never];
      outer = [sql`sum(t.v)`.as('v') as never];
      break;
    case 'sum':
      select = [sql`sum(${sql.ref(col(measure.field))})`.as('v') as never];
      outer = [sql`sum(t.v)`.as('v') as never];
      break;
    case 'distinct':
      select = [sql`count(distinct ${sql.ref(col(measure.field))})`.as('v') as never];
      break;
    case 'coverage':
      select = [sql`count(distinct anc.id)`.as('v') as never];
      break;
    case 'rate': {
      const c = sql.ref(col(measure.field));
      const values = measure.values;
      select = [
        sql`sum(case when ${c} in (${sql.join(values.map((v) => sql`${v}`))}) then 1 else 0 end)`.as('hit') as never,
        sql`count(${c})`.as('n') as never,
      ];
      outer = [sql`sum(t.hit)`.as('hit') as never, sql`sum(t.n)`.as('n') as never];
      break;
    }
  }

  let total: Raw;
  if (measure.kind === 'coverage') {
    // The areas that have records first (a few hundred), then their ancestors of the kind: the
    // path join runs over those areas, not over every record.
    const areasWithRecords = q.select(sql`r.area_id`.as('aid') as never).distinct();
    total = ((await (store.read as unknown as Kysely<any>)
      .selectFrom(areasWithRecords.as('t'))
      .innerJoin('areas as a', 'a.id', 't.aid')
      .innerJoin('areas as anc', (j) => j.on(sql<boolean>`a.path like anc.path || '%'`).on('anc.kind', '=', measure.areaKind))
      .select(sql`count(distinct anc.id)`.as('v') as never)
      .executeTakeFirst()) ?? {}) as Raw;
  } else total = ((await q.select(select as never).executeTakeFirst()) ?? {}) as Raw;
  if (!groupBy) return { total, grouped: null };

  if (groupBy.kind === 'area' && outer.length) {
    // Per area first, then onto the ancestors of the kind asked for: the path join runs over a few
    // thousand areas instead of every record.
    const perArea = q.select([...(select as never[]), sql`r.area_id`.as('aid') as never]).groupBy('r.area_id');
    const rows = (await (store.read as unknown as Kysely<any>)
      .selectFrom(perArea.as('t'))
      .innerJoin('areas as a', 'a.id', 't.aid')
      .innerJoin('areas as anc', (j) => j.on(sql<boolean>`a.path like anc.path || '%'`).on('anc.kind', '=', groupBy.areaKind))
      .select([...(outer as never[]), sql`anc.code`.as('g') as never])
      .groupBy('anc.code')
      .execute()) as Raw[];
    return { total, grouped: rows };
  }

  q = withAncestors(q, measure, groupBy);
  const groupAlias = measure.kind === 'coverage' && groupBy.kind === 'area' && measure.areaKind !== groupBy.areaKind ? 'grp' : 'anc';
  let groupExpr: ReturnType<typeof sql>;
  const dateCol = sql.ref(`r.${snake(rq.dateField.key)}`);
  switch (groupBy.kind) {
    case 'month':
      groupExpr = sql`substr(${dateCol}, 1, 7)`;
      break;
    case 'quarter':
      groupExpr = sql`substr(${dateCol}, 1, 4) || '-Q' || cast((cast(substr(${dateCol}, 6, 2) as integer) + 2) / 3 as text)`;
      break;
    case 'area':
      groupExpr = sql.ref(`${groupAlias}.code`);
      break;
    case 'field':
      groupExpr = sql.ref(col(groupBy.field));
      break;
    case 'age':
    case 'years': {
      // Full years between the date and the end of the period asked for (today by default).
      const asOf = rq.to ?? todayInShanghai();
      const d = sql.ref(col(groupBy.field));
      const years = sql`(cast(substr(${asOf}, 1, 4) as integer) - cast(substr(${d}, 1, 4) as integer) - case when substr(${asOf}, 6, 5) < substr(${d}, 6, 5) then 1 else 0 end)`;
      const bands = groupBy.kind === 'age' ? AGE_BANDS : YEAR_BANDS;
      groupExpr = sql`case when ${d} is null then null ${sql.join(
        bands.map(([key, , min, max]) => sql`when ${years} between ${min} and ${max} then ${key}`),
        sql` `,
      )} end`;
      break;
    }
  }
  const grouped = (await q
    .select([...(select as never[]), groupExpr.as('g') as never])
    // By the output column: with bound parameters inside (age bands), PostgreSQL would not match
    // the GROUP BY copy of the expression to the SELECT one.
    .groupBy(sql`g` as never)
    .execute()) as Raw[];
  return { total, grouped };
}

type AnyQuery = ReturnType<typeof baseQuery>;

/** Ancestor areas of a kind: the record's area lies in or under them (coverage and area groups). */
function withAncestors(q: AnyQuery, measure: Measure, groupBy: GroupBy | null): AnyQuery {
  const needsAncestors = measure.kind === 'coverage' || groupBy?.kind === 'area';
  if (!needsAncestors) return q;
  q = q.innerJoin('areas as ra', 'ra.id', 'r.area_id');
  if (measure.kind === 'coverage' && groupBy?.kind === 'area' && measure.areaKind !== groupBy.areaKind) {
    return q
      .innerJoin('areas as anc', (j) => j.on(sql<boolean>`ra.path like anc.path || '%'`).on('anc.kind', '=', measure.areaKind))
      .innerJoin('areas as grp', (j) => j.on(sql<boolean>`ra.path like grp.path || '%'`).on('grp.kind', '=', groupBy.areaKind));
  }
  const kind = measure.kind === 'coverage' ? measure.areaKind : (groupBy as Extract<GroupBy, { kind: 'area' }>).areaKind;
  return q.innerJoin('areas as anc', (j) => j.on(sql<boolean>`ra.path like anc.path || '%'`).on('anc.kind', '=', kind));
}

function present(def: LedgerDef, rq: RecordQuery, measure: Measure, groupBy: GroupBy | null, refs: RefIndex, total: Raw, grouped: Raw[] | null): MetricResult {
  const finish = (row: Record<string, unknown>): MetricValue => {
    switch (measure.kind) {
      case 'sum':
        return formatSum(measure, row.v);
      case 'rate': {
        const n = Number(row.n ?? 0);
        return n === 0 ? 0 : Number(row.hit ?? 0) / n;
      }
      default:
        return Number(row.v ?? 0);
    }
  };

  const result: MetricResult = { value: finish(total), unit: measureUnit(def, measure, rq) };
  if (grouped && groupBy) {
    const rows = grouped;
    // Ordered here, the same on both databases (they disagree on where NULL sorts).
    rows.sort((a, b) => {
      if (a.g === null || b.g === null) return a.g === null ? (b.g === null ? 0 : -1) : 1;
      if (typeof a.g === 'number' && typeof b.g === 'number') return a.g - b.g;
      return String(a.g) < String(b.g) ? -1 : String(a.g) > String(b.g) ? 1 : 0;
    });
    result.groups = rows.map((r) => {
      const raw = r.g as string | number | null;
      let key = raw === null ? '' : String(raw);
      let label = key;
      if (groupBy.kind === 'month' && raw) label = `${key.slice(0, 4)}年${Number(key.slice(5, 7))}月`;
      if (groupBy.kind === 'quarter' && raw) label = `${key.slice(0, 4)}年第${key.slice(-1)}季度`;
      if (groupBy.kind === 'area') label = refs.areasByCode.get(key)?.name ?? key;
      if (groupBy.kind === 'age' || groupBy.kind === 'years') {
        label = (groupBy.kind === 'age' ? AGE_BANDS : YEAR_BANDS).find((b) => b[0] === key)?.[1] ?? '（空）';
      }
      if (groupBy.kind === 'field') {
        const f = groupBy.field;
        if (raw === null) label = '（空）';
        else if (f.type === 'area') [key, label] = [refs.areasById.get(Number(raw))?.code ?? key, refs.areasById.get(Number(raw))?.name ?? key];
        else if (f.type === 'org') [key, label] = [refs.orgsById.get(Number(raw))?.code ?? key, refs.orgsById.get(Number(raw))?.name ?? key];
        else if (f.type === 'unit') [key, label] = [refs.areasById.get(Number(raw))?.code ?? key, refs.areasById.get(Number(raw))?.name ?? key];
        else {
          const shown = formatFieldValue(f, raw);
          key = String(shown);
          label = String(shown);
        }
      }
      return { key, label, value: finish(r) };
    });
  }
  return result;
}
