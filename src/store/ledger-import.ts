/**
 * Imports a table into a ledger atomically (CONTRACTS §2–4): every row is checked, every bad row
 * reported by the row number the spreadsheet shows, and either all rows go in — in batches inside
 * one transaction — or none. A row whose natural key is stored with the same content is left
 * alone, and a file (without natural keys) already imported is recognized by its checksum.
 */
import { sql, type Kysely } from 'kysely';
import type Database from 'better-sqlite3';
import { ledgerTable } from '../domain/ledgers/columns.ts';
import { ROLLUPS_2026_11_29 } from './migrations/2026-11-29T1200-rollups.ts';
import type { LedgerDef } from '../domain/ledgers/types.ts';
import type { Table, TableRow } from '../io/table-reader.ts';
import type { Store } from './db.ts';
import { naturalKeyOf, prepareRecord, type Prepared } from './ledger.repository.ts';
import { RefIndex } from './refs.ts';
import { closedFor, closedPeriods } from './period-close.ts';
import type { Scope } from './scope.ts';
import { withWrite, type Actor } from './unit-of-work.ts';
import type { ImportIssue, ImportResult } from './tree-import.ts';

class Rollback extends Error {}

const BATCH = 400;

async function* oneByOne(rows: AsyncIterable<TableRow>): AsyncGenerator<TableRow[]> {
  for await (const r of rows) yield [r];
}

// Sums as doubles: exact for integers below 2^53 (90 trillion yuan in fen).
type RollupCells = Map<string, { area: number; month: string; n: number; sums: number[] }>;

/**
 * The roll-up of an import's records (their insert trigger leaves rows with an import_id to the
 * import): counted per area and month while rows go in, written once before the commit.
 */
function countForRollup(cells: RollupCells, def: LedgerDef, prepared: Prepared[]): void {
  const spec = ROLLUPS_2026_11_29[def.key];
  if (!spec) return;
  for (const p of prepared) {
    const r = p.columns as Record<string, unknown>;
    const month = typeof r[spec.date] === 'string' ? (r[spec.date] as string).slice(0, 7) : '';
    const key = `${p.areaId}|${month}`;
    let c = cells.get(key);
    if (!c) cells.set(key, (c = { area: p.areaId, month, n: 0, sums: spec.sums.map(() => 0) }));
    c.n++;
    spec.sums.forEach((col, i) => {
      const v = r[col];
      if (v !== null && v !== undefined) c.sums[i]! += Number(v);
    });
  }
}

async function writeRollup(db: Kysely<any>, def: LedgerDef, cells: RollupCells): Promise<void> {
  const spec = ROLLUPS_2026_11_29[def.key];
  if (!spec) return;
  const table = `ru_${def.key}`;
  for (const c of cells.values()) {
    await db
      .insertInto(table)
      .values({ area_id: c.area, month: c.month, n: c.n, ...Object.fromEntries(spec.sums.map((col, i) => [`s_${col}`, String(c.sums[i])])) })
      .onConflict((oc) =>
        oc.columns(['area_id', 'month']).doUpdateSet((eb) => ({
          n: sql`${sql.ref(`${table}.n`)} + ${eb.ref('excluded.n')}`,
          ...Object.fromEntries(spec.sums.map((col) => [`s_${col}`, sql`${sql.ref(`${table}.s_${col}`)} + ${eb.ref(`excluded.s_${col}`)}`])),
        })),
      )
      .execute();
  }
}

/** The columns an import writes besides the fields', in the order of the prepared INSERT's parameters. */
const META_COLUMNS = ['area_id', 'root_id', 'version', 'created_at', 'created_by', 'updated_at', 'updated_by', 'import_id'];

const insertMemo = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/** A cached INSERT of these columns (names come from the ledger catalogue, never from a file). */
function preparedInsert(sqlite: Database.Database, table: string, cols: string[]): Database.Statement {
  let byKey = insertMemo.get(sqlite);
  if (!byKey) insertMemo.set(sqlite, (byKey = new Map()));
  const key = `${table}(${cols.join(',')})`;
  let st = byKey.get(key);
  if (!st) {
    st = sqlite.prepare(`insert into "${table}" (${cols.map((c) => `"${c}"`).join(', ')}) values (${cols.map(() => '?').join(', ')})`);
    byKey.set(key, st);
  }
  return st;
}

export interface ImportOptions {
  dryRun: boolean;
  fileName: string;
  fileSha256: string;
  /** Area of records of a ledger without an area column (培训). */
  fallbackAreaId: number | null;
  onProgress?: (p: { rowsRead: number; rowsChecked: number }) => void;
}

export async function importLedger(store: Store, actor: Actor, scope: Scope, def: LedgerDef, table: Table, opts: ImportOptions): Promise<ImportResult> {
  const result: ImportResult = { ok: false, dryRun: opts.dryRun, rows: 0, inserted: 0, unchanged: 0, errors: [], warnings: [] };
  const inputFields = def.fields.filter((f) => !f.derived);
  const index = new Map<string, number>();
  table.headers.forEach((h, i) => {
    const name = h.replace(/\*$/, '').trim();
    if (name) index.set(name, i);
  });
  for (const f of inputFields) {
    if (f.required && !index.has(f.label)) result.errors.push({ row: 1, column: f.label, message: `缺少必填列“${f.label}”，请使用导入模板` });
  }
  const labels = new Set(inputFields.map((f) => f.label));
  for (const h of index.keys()) if (!labels.has(h)) result.warnings.push({ row: 1, column: h, message: `列“${h}”不属于“${def.title}”台账，已忽略，未保存` });
  if (result.errors.length) return result;

  if (!def.naturalKey) {
    const seen = await store.db.selectFrom('ledger_imports').select(['created_at', 'file_name']).where('ledger', '=', def.key).where('file_sha256', '=', opts.fileSha256).executeTakeFirst();
    if (seen) {
      result.errors.push({ row: 1, column: '', message: `同样内容的文件（${seen.file_name}）已于${seen.created_at.slice(0, 10)}导入过，未重复导入` });
      return result;
    }
  }

  const refs = await RefIndex.load(store.db);
  const closed = await closedPeriods(store.db);
  const columnOf = (field: string) => def.fields.find((f) => f.key === field)?.label ?? field;
  const keysInFile = new Map<string, number>();
  const keyField = def.naturalKey ? def.fields.find((f) => f.key === def.naturalKey)! : null;

  try {
    await withWrite(store, actor, async (w) => {
      const db = w.trx as unknown as Kysely<any>;
      const stamp = w.now.toISOString();
      let importId: number | null = null;
      if (!opts.dryRun) {
        const r = await db
          .insertInto('ledger_imports')
          .values({ ledger: def.key, file_name: opts.fileName, file_sha256: opts.fileSha256, area_id: opts.fallbackAreaId, rows: 0, inserted: 0, created_at: stamp, created_by: actor.userId })
          .returning('id')
          .executeTakeFirstOrThrow();
        importId = Number(r.id);
      }
      let batch: Array<{ row: number; p: Prepared }> = [];
      const rollup: RollupCells = new Map();

      const flush = async () => {
        if (!batch.length) return;
        let fresh = batch;
        const keyed = batch.map((b) => ({ b, key: naturalKeyOf(def, b.p) })).filter((x) => x.key);
        if (keyed.length) {
          const column = keyed[0]!.key!.column;
          const stored = (await db
            .selectFrom(ledgerTable(def.key))
            .selectAll()
            .where(column, 'in', keyed.map((x) => x.key!.value))
            .where('deleted_at', 'is', null)
            .execute()) as Array<Record<string, unknown>>;
          const byKey = new Map(stored.map((s) => [String(s[column]), s]));
          fresh = [];
          for (const b of batch) {
            const key = naturalKeyOf(def, b.p);
            const existing = key ? byKey.get(key.value) : undefined;
            if (!existing) {
              fresh.push(b);
              continue;
            }
            const same = Object.entries(b.p.columns).every(([c, v]) => c.endsWith('_enc') || String(existing[c] ?? '') === String(v ?? ''));
            if (same) result.unchanged++;
            else result.errors.push({ row: b.row, column: keyField!.label, message: `“${keyField!.label}”为“${String(b.p.values[keyField!.key])}”的记录已存在且内容不同；修改已有记录请在页面上编辑` });
          }
        }
        if (fresh.length && !result.errors.length) {
          const row = (p: Prepared) => ({
            ...p.columns,
            area_id: p.areaId,
            root_id: p.rootId,
            version: 1,
            created_at: stamp,
            created_by: actor.userId,
            updated_at: stamp,
            updated_by: actor.userId,
            import_id: importId,
          });
          const plain = fresh.filter((b) => !b.p.warnings.length);
          if (plain.length && store.sqlite) {
            // SQLite: one prepared statement on the transaction's own connection, row after row —
            // building a 400-row INSERT through the query builder cost more than inserting.
            const fieldCols = Object.keys(plain[0]!.p.columns);
            const insert = preparedInsert(store.sqlite, ledgerTable(def.key), [...fieldCols, ...META_COLUMNS]);
            const params: unknown[] = new Array(fieldCols.length + META_COLUMNS.length);
            for (const { p } of plain) {
              let i = 0;
              for (const c of fieldCols) params[i++] = p.columns[c] ?? null;
              params[i++] = p.areaId;
              params[i++] = p.rootId;
              params[i++] = 1;
              params[i++] = stamp;
              params[i++] = actor.userId;
              params[i++] = stamp;
              params[i++] = actor.userId;
              params[i++] = importId;
              insert.run(params);
            }
          } else if (plain.length) await db.insertInto(ledgerTable(def.key)).values(plain.map((b) => row(b.p))).execute();
          // Rows with warnings go in one by one, so their findings know the record's id.
          for (const b of fresh.filter((x) => x.p.warnings.length)) {
            const { id } = await db.insertInto(ledgerTable(def.key)).values(row(b.p)).returning('id').executeTakeFirstOrThrow();
            await db
              .insertInto('record_findings')
              .values(b.p.warnings.map((wn) => ({ ledger: def.key, record_id: Number(id), field: wn.field, message: wn.message, source: 'import', created_at: stamp })))
              .execute();
          }
          countForRollup(rollup, def, fresh.map((b) => b.p));
          result.inserted += fresh.length;
        }
        batch = [];
        opts.onProgress?.({ rowsRead: result.rows, rowsChecked: result.rows });
        // better-sqlite3 answers synchronously, so without this the whole import would run in
        // microtasks and no other request (not even its own progress) would be served meanwhile.
        await new Promise((resolve) => setImmediate(resolve));
      };

      // Rows in the batches the reader has them in, when it has (an .xlsx from its worker): one
      // await per thousand rows instead of one per row.
      const chunks: AsyncIterable<TableRow[]> = table.batches ?? oneByOne(table.rows);
      reading: for await (const chunk of chunks) for (const { row, values } of chunk) {
        result.rows++;
        const input: Record<string, unknown> = {};
        for (const f of inputFields) {
          const i = index.get(f.label);
          input[f.key] = i === undefined ? null : (values[i] ?? null);
        }
        const p = prepareRecord(store, def, input, refs, scope, opts.fallbackAreaId);
        for (const e of p.errors) result.errors.push({ row, column: columnOf(e.field), message: e.message });
        for (const e of p.warnings) result.warnings.push({ row, column: columnOf(e.field), message: e.message });
        if (p.errors.length) continue;
        if (!p.areaId) {
          result.errors.push({ row, column: '', message: '无法确定记录所属区域' });
          continue;
        }
        const shut = closedFor(closed, refs.areasById.get(p.areaId)?.path, p.values[def.dateField]);
        if (shut) {
          result.errors.push({ row, column: columnOf(def.dateField), message: `${shut.year}年度已封账，不能再导入该年度的记录` });
          continue;
        }
        const key = naturalKeyOf(def, p);
        if (key) {
          const earlier = keysInFile.get(key.value);
          if (earlier !== undefined) {
            result.errors.push({ row, column: keyField!.label, message: `“${keyField!.label}”与第${earlier}行重复` });
            continue;
          }
          keysInFile.set(key.value, row);
        }
        batch.push({ row, p });
        if (batch.length >= BATCH) await flush();
        // Reading a huge file full of errors stops being useful long before its end.
        if (result.errors.length >= 1000) {
          result.errors.push({ row, column: '', message: '错误超过1000处，已停止检查，请修正后重新导入' });
          break reading;
        }
      }
      await flush();
      if (result.errors.length || opts.dryRun) throw new Rollback();
      await writeRollup(db, def, rollup);
      await db.updateTable('ledger_imports').set({ rows: result.rows, inserted: result.inserted }).where('id', '=', importId).execute();
      await w.audit({
        action: 'import',
        entity: def.key,
        entityId: importId,
        areaPath: scope.path,
        detail: { file: opts.fileName, sha256: opts.fileSha256, rows: result.rows, inserted: result.inserted, unchanged: result.unchanged },
      });
    });
  } catch (e) {
    if (!(e instanceof Rollback)) throw e;
  }
  result.ok = result.errors.length === 0;
  if (!result.ok) result.inserted = 0;
  return result;
}

export type { ImportIssue };
