/**
 * Imports an `areas` or `orgs` table atomically: every row goes through the same create code as
 * the UI, inside one transaction that is rolled back when any row is wrong or on a dry run.
 * A row identical to a stored node is left alone, so importing the same file twice is harmless.
 */
import { AppError } from '../shared/errors.ts';
import { checkTreeRow, TREE_COLUMNS, type AreaRowInput, type OrgRowInput } from '../domain/tree-import.ts';
import { cellText, parseDateCell, type Table } from '../io/table-reader.ts';
import type { Store } from './db.ts';
import type { Scope } from './scope.ts';
import { createArea, createOrg } from './trees.repository.ts';
import { withWrite, type Actor, type Write } from './unit-of-work.ts';

export interface ImportIssue {
  row: number;
  column: string;
  message: string;
}

export interface ImportResult {
  ok: boolean;
  dryRun: boolean;
  rows: number;
  inserted: number;
  unchanged: number;
  errors: ImportIssue[];
  warnings: ImportIssue[];
}

class Rollback extends Error {}

/** Which column a store-level refusal is about, from what it says. */
function columnOf(ledger: 'areas' | 'orgs', e: AppError): string {
  if (e.code === 'DUPLICATE') return '编码';
  const m = e.message;
  if (m.includes('所在区域')) return '所在区域编码';
  if (m.includes('网格类型')) return '网格类型';
  if (m.includes('撤销日期')) return '撤销日期';
  if (m.includes('上级') || m.includes('不能设在') || m.includes('必须有上级') || m.includes('顶级区域')) return '上级编码';
  return ledger === 'areas' ? '类型' : '类型';
}

async function sameAsStored(w: Write, ledger: 'areas' | 'orgs', input: AreaRowInput | OrgRowInput): Promise<boolean | null> {
  if (ledger === 'areas') {
    const a = input as AreaRowInput;
    const row = await w.trx
      .selectFrom('areas as x')
      .leftJoin('areas as p', 'p.id', 'x.parent_id')
      .select(['x.name', 'x.kind', 'x.grid_type', 'p.code as parent_code'])
      .where('x.code', '=', a.code)
      .executeTakeFirst();
    if (!row) return null;
    return row.name === a.name && row.kind === a.kind && (row.parent_code ?? null) === a.parentCode && (row.grid_type ?? null) === a.gridType;
  }
  const o = input as OrgRowInput;
  const row = await w.trx
    .selectFrom('orgs as x')
    .leftJoin('orgs as p', 'p.id', 'x.parent_id')
    .innerJoin('areas as a', 'a.id', 'x.area_id')
    .select(['x.name', 'x.kind', 'x.category', 'x.founded_on', 'x.dissolved_on', 'p.code as parent_code', 'a.code as area_code'])
    .where('x.code', '=', o.code)
    .executeTakeFirst();
  if (!row) return null;
  return (
    row.name === o.name &&
    row.kind === o.kind &&
    (row.parent_code ?? null) === o.parentCode &&
    row.area_code === o.areaCode &&
    (row.category ?? null) === o.category &&
    (row.founded_on ?? null) === o.foundedOn &&
    (row.dissolved_on ?? null) === o.dissolvedOn
  );
}

export async function importTree(
  store: Store,
  actor: Actor,
  scope: Scope,
  ledger: 'areas' | 'orgs',
  table: Table,
  options: { dryRun: boolean; fileName: string; onProgress?: (rowsRead: number) => void },
): Promise<ImportResult> {
  const columns = TREE_COLUMNS[ledger];
  const result: ImportResult = { ok: false, dryRun: options.dryRun, rows: 0, inserted: 0, unchanged: 0, errors: [], warnings: [] };
  const index = new Map<string, number>();
  table.headers.forEach((h, i) => {
    if (h) index.set(h.replace(/\*$/, '').trim(), i);
  });
  for (const col of columns) {
    if (col.required && !index.has(col.header)) result.errors.push({ row: 1, column: col.header, message: `缺少必填列“${col.header}”，请使用导入模板` });
  }
  const known = new Set(columns.map((c) => c.header));
  for (const h of index.keys()) {
    if (!known.has(h)) result.warnings.push({ row: 1, column: h, message: `列“${h}”不属于此台账，已忽略` });
  }
  if (result.errors.length) return result;

  const seen = new Map<string, number>();
  try {
    await withWrite(store, actor, async (w) => {
      for await (const { row, values } of table.rows) {
        result.rows++;
        if (result.rows % 500 === 0) options.onProgress?.(result.rows);
        const cells: Record<string, string | null | undefined> = {};
        for (const col of columns) {
          const i = index.get(col.header);
          const raw = i === undefined ? null : values[i];
          cells[col.key] = col.kind === 'date' ? parseDateCell(raw ?? null) : cellText(raw ?? null);
        }
        const { input, problems } = checkTreeRow(ledger, cells);
        for (const p of problems) result.errors.push({ row, ...p });
        if (!input) continue;
        const earlier = seen.get(input.code);
        if (earlier !== undefined) {
          result.errors.push({ row, column: '编码', message: `编码“${input.code}”与第${earlier}行重复` });
          continue;
        }
        seen.set(input.code, row);
        const same = await sameAsStored(w, ledger, input);
        if (same === true) {
          result.unchanged++;
          continue;
        }
        if (same === false) {
          result.errors.push({ row, column: '编码', message: `编码“${input.code}”已存在且内容不同；修改已有节点请在页面上编辑` });
          continue;
        }
        try {
          if (ledger === 'areas') {
            await createArea(w, scope, input as AreaRowInput);
          } else {
            const o = input as OrgRowInput;
            await createOrg(w, scope, o);
          }
          result.inserted++;
        } catch (e) {
          if (!(e instanceof AppError)) throw e;
          result.errors.push({ row, column: columnOf(ledger, e), message: e.message });
        }
      }
      options.onProgress?.(result.rows);
      if (result.errors.length || options.dryRun) throw new Rollback();
      await w.audit({
        action: 'import',
        entity: ledger,
        areaPath: scope.path,
        detail: { file: options.fileName, rows: result.rows, inserted: result.inserted, unchanged: result.unchanged },
      });
    });
  } catch (e) {
    if (!(e instanceof Rollback)) throw e;
  }
  result.ok = result.errors.length === 0;
  if (result.dryRun) result.inserted = result.ok ? result.inserted : 0;
  else if (!result.ok) result.inserted = 0;
  return result;
}
