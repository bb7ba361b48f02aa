/**
 * The metric engine (CONTRACTS §2): every figure the platform shows is one of these queries,
 * compiled to a single SQL statement over the ledger's table on either database. Money and
 * quantities are summed as integers and formatted exactly.
 */
import { sql } from 'kysely';
import { fieldColumns, snake } from '../domain/ledgers/columns.ts';
import { WORK_UNITS } from '../domain/ledgers/catalogue.ts';
import { formatFieldValue, scaledIntToDecimal } from '../domain/ledgers/values.ts';
import { AGE_BANDS, YEAR_BANDS, type GroupBy, type Measure, type RecordQuery } from '../domain/ledgers/query.ts';
import { todayInShanghai } from '../domain/workdays.ts';
import type { LedgerDef } from '../domain/ledgers/types.ts';
import type { Store } from './db.ts';
import { applyRecordQuery, baseQuery } from './ledger.repository.ts';
import { RefIndex } from './refs.ts';
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

export async function runMetric(
  store: Store,
  def: LedgerDef,
  scope: Scope,
  rq: RecordQuery,
  measure: Measure,
  groupBy: GroupBy | null,
): Promise<MetricResult> {
  const refs = await RefIndex.load(store.db);
  let q = applyRecordQuery(baseQuery(store.read, def, scope), def, rq, refs, store);

  // Ancestor areas of a kind: the record's area lies in or under them.
  const needsAncestors = measure.kind === 'coverage' || groupBy?.kind === 'area';
  const ancestorKind = measure.kind === 'coverage' ? measure.areaKind : groupBy?.kind === 'area' ? groupBy.areaKind : null;
  if (needsAncestors && measure.kind === 'coverage' && groupBy?.kind === 'area' && measure.areaKind !== groupBy.areaKind) {
    q = q
      .innerJoin('areas as anc', (j) => j.on(sql<boolean>`ra.path like anc.path || '%'`).on('anc.kind', '=', measure.areaKind))
      .innerJoin('areas as grp', (j) => j.on(sql<boolean>`ra.path like grp.path || '%'`).on('grp.kind', '=', groupBy.areaKind));
  } else if (needsAncestors) {
    q = q.innerJoin('areas as anc', (j) => j.on(sql<boolean>`ra.path like anc.path || '%'`).on('anc.kind', '=', ancestorKind!));
  }
  const groupAlias = measure.kind === 'coverage' && groupBy?.kind === 'area' && measure.areaKind !== groupBy.areaKind ? 'grp' : 'anc';

  const col = (f: { key: string; type: string }) => {
    const cols = fieldColumns(f as never);
    return `r.${f.type === 'idNumber' || f.type === 'phone' ? cols[1]!.name : cols[0]!.name}`;
  };

  let select: Array<ReturnType<typeof sql>> = [];
  switch (measure.kind) {
    case 'count':
      select = [sql`count(*)`.as('v') as never];
      break;
    case 'sum':
      select = [sql`sum(${sql.ref(col(measure.field))})`.as('v') as never];
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
      break;
    }
  }

  let groupExpr: ReturnType<typeof sql> | null = null;
  if (groupBy) {
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
  }

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

  const total = (await q.select(select as never).executeTakeFirst()) as Record<string, unknown> | undefined;
  const result: MetricResult = { value: finish(total ?? {}), unit: measureUnit(def, measure, rq) };
  if (groupExpr && groupBy) {
    const rows = (await q
      .select([...(select as never[]), groupExpr.as('g') as never])
      // By the output column: with bound parameters inside (age bands), PostgreSQL would not match
      // the GROUP BY copy of the expression to the SELECT one.
      .groupBy(sql`g` as never)
      .execute()) as Array<Record<string, unknown>>;
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
