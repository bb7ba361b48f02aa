/**
 * Records of every ledger, generically from its definition: turning input into rows (parse,
 * check, derive, resolve codes, encrypt), create / read / update / delete / restore with
 * versions and audit, and the scoped, filtered, sorted, paged list.
 */
import { sql, type Expression, type Kysely, type SelectQueryBuilder, type SqlBool } from 'kysely';
import { AppError } from '../shared/errors.ts';
import { fieldColumns, ledgerTable, snake } from '../domain/ledgers/columns.ts';
import { fieldByName } from '../domain/ledgers/catalogue.ts';
import { formatFieldValue, parseFieldValue } from '../domain/ledgers/values.ts';
import type { FieldDef, FieldProblem, LedgerDef, LedgerValues } from '../domain/ledgers/types.ts';
import type { RecordQuery, SortSpec } from '../domain/ledgers/query.ts';
import { maskIdNumber, maskPhone } from '../domain/id-number.ts';
import { todayInShanghai } from '../domain/workdays.ts';
import { inSubtree, pathIds } from '../domain/tree.ts';
import { escapeLike, likeOperator } from './dialect.ts';
import type { Store } from './db.ts';
import { RefIndex } from './refs.ts';
import { cachedWhileUnchanged } from './head-cache.ts';
import { assertOpen, closedPeriods } from './period-close.ts';
import { inScope, type Scope } from './scope.ts';
import type { Reader, Write } from './unit-of-work.ts';

export type Row = Record<string, string | number | null>;

export interface Prepared {
  /** Column values to store (fields only, no system columns). */
  columns: Row;
  areaId: number;
  rootId: number;
  /** Domain values, for checks and natural-key comparison. */
  values: LedgerValues;
  errors: FieldProblem[];
  warnings: FieldProblem[];
}

/** Accepts field keys or Chinese labels as input names (CONTRACTS §4 edits). */
export function normalizeInput(def: LedgerDef, input: Record<string, unknown>): { values: Record<string, unknown>; unknown: string[] } {
  const values: Record<string, unknown> = {};
  const unknown: string[] = [];
  for (const [name, v] of Object.entries(input)) {
    if (name === 'version' || name === 'id') continue;
    const f = fieldByName(def, name.replace(/\*$/, ''));
    if (!f || f.derived) unknown.push(name);
    else values[f.key] = v;
  }
  return { values, unknown };
}

/**
 * Checks and converts one record. `fallbackAreaId` is the area of records of a ledger without
 * an area column (培训): the importer's area, or the root.
 */
export function prepareRecord(
  store: Store,
  def: LedgerDef,
  input: Record<string, unknown>,
  refs: RefIndex,
  scope: Scope,
  fallbackAreaId: number | null,
): Prepared {
  const errors: FieldProblem[] = [];
  const values: LedgerValues = {};
  for (const f of def.fields) {
    if (f.derived) continue;
    const p = parseFieldValue(f, input[f.key]);
    if (!p.ok) {
      errors.push({ field: f.key, message: p.message });
      values[f.key] = null;
      continue;
    }
    if (p.value === null && f.required) errors.push({ field: f.key, message: `“${f.label}”不能为空` });
    values[f.key] = p.value;
  }
  const checked = def.check ? def.check(values, { today: today() }) : { errors: [], warnings: [] };
  // A field already wrong on its own is not judged again across fields.
  const wrong = new Set(errors.map((e) => e.field));
  errors.push(...checked.errors.filter((e) => !wrong.has(e.field)));
  const derived = def.derive ? def.derive(values) : values;

  const columns: Row = {};
  let areaId: number | null = def.areaField === null ? fallbackAreaId : null;
  for (const f of def.fields) {
    const v = derived[f.key] ?? null;
    const cols = fieldColumns(f);
    if (f.type === 'area' || f.type === 'org' || f.type === 'unit') {
      let area = null;
      let orgId: number | null = null;
      if (typeof v === 'string') {
        const a = f.type !== 'org' ? refs.areasByCode.get(v) : undefined;
        const o = f.type !== 'area' && !a ? refs.orgsByCode.get(v) : undefined;
        if (a) {
          if (f.areaKind && a.kind !== f.areaKind) errors.push({ field: f.key, message: `“${f.label}”应为${f.areaKind}的编码，“${v}”是${a.kind}` });
          area = a;
        } else if (o) {
          area = refs.orgArea(o);
          orgId = o.id;
        } else {
          const what = f.type === 'area' ? (f.areaKind ?? '区域') : f.type === 'org' ? '党组织' : '区域或党组织';
          errors.push({ field: f.key, message: `“${f.label}”中的编码“${v}”不是已有的${what}` });
        }
        if (area && !inSubtree(area.path, scope.path)) {
          errors.push({ field: f.key, message: `“${f.label}”中的“${v}”不在您的管辖范围内` });
          area = null;
        }
      }
      if (f.type === 'unit') {
        columns[cols[0]!.name] = area?.id ?? null;
        columns[cols[1]!.name] = orgId;
      } else {
        columns[cols[0]!.name] = f.type === 'org' ? orgId : (area?.id ?? null);
      }
      if (f.key === def.areaField) areaId = area?.id ?? null;
    } else if (f.type === 'idNumber' || f.type === 'phone') {
      columns[cols[0]!.name] = typeof v === 'string' ? store.cipher.encrypt(v) : null;
      columns[cols[1]!.name] = typeof v === 'string' ? store.cipher.lookup(v) : null;
    } else {
      columns[cols[0]!.name] = v;
    }
  }
  const area = areaId === null ? undefined : refs.areasById.get(areaId);
  return { columns, areaId: areaId ?? 0, rootId: area?.rootId ?? 0, values: derived, errors, warnings: checked.warnings };
}

let todayMemo = { at: 0, value: '' };
/** Today in China, worked out at most once a second (an import asks for it per row). */
function today(): string {
  const now = Date.now();
  if (now - todayMemo.at > 1000) todayMemo = { at: now, value: todayInShanghai(new Date(now)) };
  return todayMemo.value;
}

/** The natural-key column and the value a prepared record has in it. */
export function naturalKeyOf(def: LedgerDef, p: Prepared): { column: string; value: string } | null {
  if (!def.naturalKey) return null;
  const f = def.fields.find((x) => x.key === def.naturalKey)!;
  const cols = fieldColumns(f);
  const column = f.type === 'idNumber' || f.type === 'phone' ? cols[1]!.name : cols[0]!.name;
  const value = p.columns[column];
  return typeof value === 'string' ? { column, value } : null;
}

// ---------------------------------------------------------------- presenting

export type RecordView = Record<string, string | number | boolean | null> & { id: number; version: number };

/** A stored row as the API shows it: codes for references, yuan strings, 是/否, masked identities. */
export function presentRecord(def: LedgerDef, row: Row, refs: RefIndex, reveal = false): RecordView {
  const out: Record<string, string | number | boolean | null> = { id: Number(row.id), version: Number(row.version) };
  for (const f of def.fields) {
    const cols = fieldColumns(f);
    const v = row[cols[0]!.name] ?? null;
    switch (f.type) {
      case 'area':
        out[f.key] = v === null ? null : (refs.areasById.get(Number(v))?.code ?? null);
        break;
      case 'org':
        out[f.key] = v === null ? null : (refs.orgsById.get(Number(v))?.code ?? null);
        break;
      case 'unit': {
        const org = row[cols[1]!.name];
        out[f.key] = org !== null && org !== undefined ? (refs.orgsById.get(Number(org))?.code ?? null) : v === null ? null : (refs.areasById.get(Number(v))?.code ?? null);
        break;
      }
      case 'idNumber':
      case 'phone': {
        if (v === null) {
          out[f.key] = null;
          break;
        }
        out[f.key] = reveal ? String(v) : f.type === 'idNumber' ? maskIdNumber(String(v)) : maskPhone(String(v));
        break;
      }
      default:
        out[f.key] = formatFieldValue(f, v as string | number | null);
    }
  }
  const area = refs.areasById.get(Number(row.area_id));
  out.areaCode = area?.code ?? null;
  out.areaName = area?.name ?? null;
  out.createdAt = (row.created_at as string) ?? null;
  out.updatedAt = (row.updated_at as string) ?? null;
  if (row.deleted_at) out.deletedAt = row.deleted_at as string;
  return out as RecordView;
}

/** Decrypts the identity columns of fetched rows in place (the ciphertext never leaves the store). */
export function decryptRows(store: Store, def: LedgerDef, rows: Row[]): Row[] {
  const enc = def.fields.filter((f) => f.type === 'idNumber' || f.type === 'phone').map((f) => fieldColumns(f)[0]!.name);
  if (!enc.length) return rows;
  for (const r of rows) for (const c of enc) if (typeof r[c] === 'string') r[c] = store.cipher.decrypt(r[c] as string);
  return rows;
}

// ---------------------------------------------------------------- queries

type AnyDb = Kysely<any>;
type AnyQuery = SelectQueryBuilder<any, any, any>;

/** FROM the ledger table joined to the record's area, scoped, live records only. */
export function baseQuery(db: Reader, def: LedgerDef, scope: Scope, opts: { deleted?: boolean } = {}): AnyQuery {
  let q = (db as unknown as AnyDb).selectFrom(`${ledgerTable(def.key)} as r`).where(recordsInScope(scope));
  q = opts.deleted ? q.where('r.deleted_at', 'is not', null) : q.where('r.deleted_at', 'is', null);
  return q;
}

/**
 * Records whose area lies in the scope, in a form both databases answer from an index: a whole
 * tree by the records' root (index root_id, date), a subtree by its areas' ids (index area_id, date)
 * — never a path comparison per record.
 */
export function recordsInScope(scope: Scope): Expression<SqlBool> {
  if (scope.path === null) return sql<SqlBool>`1 = 1`;
  const ids = pathIds(scope.path);
  if (ids.length === 1) return sql<SqlBool>`r.root_id = ${ids[0]!}`;
  return sql<SqlBool>`r.area_id in (select sa.id from areas sa where ${inScope('sa.path', scope)})`;
}

function refIds(f: FieldDef, codes: Array<string | number>, refs: RefIndex): number[] {
  const ids: number[] = [];
  for (const c of codes) {
    const code = String(c);
    if (f.type === 'org') {
      const o = refs.orgsByCode.get(code);
      if (o) ids.push(o.id);
    } else {
      const a = refs.areasByCode.get(code);
      if (a) ids.push(a.id);
      else if (f.type === 'unit') {
        const o = refs.orgsByCode.get(code);
        if (o) ids.push(-o.id); // negative: an organization, see below
      }
    }
  }
  return ids;
}

/** Applies dates, field filters and search to a base query. */
export function applyRecordQuery(q: AnyQuery, def: LedgerDef, rq: RecordQuery, refs: RefIndex, store: Store): AnyQuery {
  const dateCol = `r.${snake(rq.dateField.key)}`;
  if (rq.from) q = q.where(dateCol, '>=', rq.from);
  if (rq.to) q = q.where(dateCol, '<=', rq.to);
  for (const flt of rq.filters) {
    const f = flt.field;
    const cols = fieldColumns(f);
    const col = `r.${cols[0]!.name}`;
    if (flt.kind === 'range') {
      if (flt.from !== null) q = q.where(col, '>=', flt.from);
      if (flt.to !== null) q = q.where(col, '<=', flt.to);
      continue;
    }
    if (f.type === 'area' || f.type === 'org' || f.type === 'unit') {
      const ids = refIds(f, flt.values, refs);
      if (f.type === 'unit') {
        const areaIds = ids.filter((i) => i > 0);
        const orgIds = ids.filter((i) => i < 0).map((i) => -i);
        q = q.where((eb) =>
          eb.or([
            areaIds.length ? eb.and([eb(col, 'in', areaIds), eb(`r.${cols[1]!.name}`, 'is', null)]) : eb.val(false),
            orgIds.length ? eb(`r.${cols[1]!.name}`, 'in', orgIds) : eb.val(false),
          ]),
        );
      } else q = ids.length ? q.where(col, 'in', ids) : q.where(sql<boolean>`1 = 0`);
      continue;
    }
    q = q.where(col, 'in', flt.values);
  }
  if (rq.q) {
    const text = def.fields.filter((f) => f.type === 'text' || f.type === 'longtext' || f.type === 'enum');
    const op = likeOperator(store.kind);
    const pattern = `%${escapeLike(rq.q)}%`;
    q = q.where((eb) => eb.or(text.map((f) => sql<boolean>`${sql.ref(`r.${snake(f.key)}`)} ${sql.raw(op)} ${pattern} escape '\\'`)));
  }
  return q;
}

export interface ListResult {
  total: number;
  items: RecordView[];
}

export async function listRecords(
  store: Store,
  def: LedgerDef,
  scope: Scope,
  rq: RecordQuery,
  sort: SortSpec,
  page: number,
  pageSize: number,
  opts: { deleted?: boolean } = {},
): Promise<ListResult> {
  const refs = await RefIndex.load(store.db);
  const q = applyRecordQuery(baseQuery(store.read, def, scope, opts), def, rq, refs, store);
  // The total is the costly half of a page and the same for every page of the list: kept while
  // nothing is written (head-cache.ts), so paging through a long list counts it once.
  const countQuery = q.select((eb) => eb.fn.countAll().as('n'));
  const compiled = countQuery.compile();
  const total = await cachedWhileUnchanged(store.db, `count|${compiled.sql}|${JSON.stringify(compiled.parameters)}`, () => countQuery.executeTakeFirstOrThrow());
  const sortCol = sort.field ? `r.${fieldColumns(sort.field)[0]!.name}` : 'r.id';
  const rows = (await q
    .selectAll('r')
    .orderBy(sortCol, sort.desc ? 'desc' : 'asc')
    .orderBy('r.id', sort.desc ? 'desc' : 'asc')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute()) as Row[];
  decryptRows(store, def, rows);
  return { total: Number((total as { n: number }).n), items: rows.map((r) => presentRecord(def, r, refs)) };
}

export async function getRecordRow(db: Reader, def: LedgerDef, scope: Scope, id: number, opts: { deleted?: boolean } = {}): Promise<Row> {
  const row = (await baseQuery(db, def, scope, opts).selectAll('r').where('r.id', '=', id).executeTakeFirst()) as Row | undefined;
  if (!row) throw new AppError('NOT_FOUND', `没有找到该${def.title}记录`);
  return row;
}

/** One record, with the findings kept on it. */

export async function getRecord(store: Store, def: LedgerDef, scope: Scope, id: number): Promise<Record<string, unknown>> {
  const refs = await RefIndex.load(store.db);
  const row = await getRecordRow(store.db, def, scope, id);
  const view = presentRecord(def, decryptRows(store, def, [row])[0]!, refs);
  const findings = await store.db.selectFrom('record_findings').select(['field', 'message']).where('ledger', '=', def.key).where('record_id', '=', id).orderBy('id').execute();
  return { ...view, findings: findings.map((f) => ({ field: f.field, message: f.message })) };
}

// ---------------------------------------------------------------- writes

/** The warnings of a record's current values replace those of its previous ones. */
async function replaceFindings(w: Write, def: LedgerDef, id: number, p: Prepared): Promise<void> {
  await w.trx.deleteFrom('record_findings').where('ledger', '=', def.key).where('record_id', '=', id).where('source', 'in', ['check', 'import']).execute();
  if (!p.warnings.length) return;
  await w.trx
    .insertInto('record_findings')
    .values(p.warnings.map((wn) => ({ ledger: def.key, record_id: id, field: wn.field, message: wn.message, source: 'check', created_at: w.now.toISOString() })))
    .execute();
}

function refuse(def: LedgerDef, problems: FieldProblem[]): never {
  const details = problems.map((p) => ({ field: p.field, column: def.fields.find((f) => f.key === p.field)?.label ?? p.field, message: p.message }));
  throw new AppError('VALIDATION_FAILED', details[0]?.message ?? '提交的内容有误', details);
}

async function assertKeyFree(w: Write, def: LedgerDef, p: Prepared, exceptId?: number): Promise<void> {
  const key = naturalKeyOf(def, p);
  if (!key) return;
  let q = (w.trx as unknown as AnyDb).selectFrom(ledgerTable(def.key)).select('id').where(key.column, '=', key.value).where('deleted_at', 'is', null);
  if (exceptId !== undefined) q = q.where('id', '!=', exceptId);
  if (await q.executeTakeFirst()) {
    const f = def.fields.find((x) => x.key === def.naturalKey)!;
    throw new AppError('DUPLICATE', `“${f.label}”为“${String(p.values[f.key])}”的记录已存在`, [{ field: f.key, column: f.label, message: `“${f.label}”重复` }]);
  }
}

/** What the audit log keeps of a record: its presented (masked) values. */
function auditSnapshot(def: LedgerDef, row: Row, refs: RefIndex): RecordView {
  return presentRecord(def, row, refs);
}

export async function createRecord(w: Write, def: LedgerDef, scope: Scope, input: Record<string, unknown>, fallbackAreaId: number | null): Promise<number> {
  const { values, unknown } = normalizeInput(def, input);
  if (unknown.length) throw new AppError('VALIDATION_FAILED', `“${def.title}”没有字段：${unknown.join('、')}`);
  const refs = await RefIndex.load(w.trx);
  const p = prepareRecord(w.store, def, values, refs, scope, fallbackAreaId);
  if (p.errors.length) refuse(def, p.errors);
  if (!p.areaId) throw new AppError('VALIDATION_FAILED', '无法确定记录所属区域');
  assertOpen(await closedPeriods(w.trx), refs.areasById.get(p.areaId)?.path, p.values[def.dateField]);
  await assertKeyFree(w, def, p);
  const stamp = w.now.toISOString();
  const inserted = await (w.trx as unknown as AnyDb)
    .insertInto(ledgerTable(def.key))
    .values({ ...p.columns, area_id: p.areaId, root_id: p.rootId, version: 1, created_at: stamp, created_by: w.actor.userId, updated_at: stamp, updated_by: w.actor.userId })
    .returning('id')
    .executeTakeFirstOrThrow();
  const id = Number(inserted.id);
  await replaceFindings(w, def, id, p);
  const row = await getRecordRow(w.trx, def, { path: null }, id);
  await w.audit({ action: 'create', entity: def.key, entityId: id, areaPath: refs.areasById.get(p.areaId)?.path ?? null, after: auditSnapshot(def, decryptRows(w.store, def, [row])[0]!, refs) });
  return id;
}

/** Input values of a stored row, so a PATCH of some fields re-checks the whole record. */
function rowToInput(def: LedgerDef, row: Row, refs: RefIndex): Record<string, unknown> {
  const view = presentRecord(def, row, refs, true);
  const out: Record<string, unknown> = {};
  for (const f of def.fields) if (!f.derived) out[f.key] = view[f.key];
  return out;
}

export async function updateRecord(
  w: Write,
  def: LedgerDef,
  scope: Scope,
  id: number,
  patch: Record<string, unknown>,
  version: number,
  fallbackAreaId: number | null,
  opts: { correction?: boolean } = {},
): Promise<void> {
  const { values, unknown } = normalizeInput(def, patch);
  if (unknown.length) throw new AppError('VALIDATION_FAILED', `“${def.title}”没有字段：${unknown.join('、')}`);
  const refs = await RefIndex.load(w.trx);
  const before = decryptRows(w.store, def, [await getRecordRow(w.trx, def, scope, id)])[0]!;
  if (Number(before.version) !== version) throw new AppError('CONFLICT');
  const merged = { ...rowToInput(def, before, refs), ...values };
  const p = prepareRecord(w.store, def, merged, refs, scope, def.areaField === null ? Number(before.area_id) : fallbackAreaId);
  if (p.errors.length) refuse(def, p.errors);
  if (!opts.correction) {
    const closed = await closedPeriods(w.trx);
    assertOpen(closed, refs.areasById.get(Number(before.area_id))?.path, before[snake(def.dateField)]);
    assertOpen(closed, refs.areasById.get(p.areaId)?.path, p.values[def.dateField]);
  }
  await assertKeyFree(w, def, p, id);
  const r = await (w.trx as unknown as AnyDb)
    .updateTable(ledgerTable(def.key))
    .set({ ...p.columns, area_id: p.areaId, root_id: p.rootId, version: version + 1, updated_at: w.now.toISOString(), updated_by: w.actor.userId })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) throw new AppError('CONFLICT');
  await replaceFindings(w, def, id, p);
  const after = decryptRows(w.store, def, [await getRecordRow(w.trx, def, { path: null }, id)])[0]!;
  await w.audit({
    action: 'update',
    entity: def.key,
    entityId: id,
    areaPath: refs.areasById.get(p.areaId)?.path ?? null,
    before: auditSnapshot(def, before, refs),
    after: auditSnapshot(def, after, refs),
    ...(opts.correction ? { detail: { correction: true } } : {}),
  });
}

/** Deletion is recoverable: the record is marked, kept, and can be restored. */
export async function deleteRecord(w: Write, def: LedgerDef, scope: Scope, id: number, version: number): Promise<void> {
  const refs = await RefIndex.load(w.trx);
  const before = decryptRows(w.store, def, [await getRecordRow(w.trx, def, scope, id)])[0]!;
  if (Number(before.version) !== version) throw new AppError('CONFLICT');
  assertOpen(await closedPeriods(w.trx), refs.areasById.get(Number(before.area_id))?.path, before[snake(def.dateField)]);
  await (w.trx as unknown as AnyDb)
    .updateTable(ledgerTable(def.key))
    .set({ deleted_at: w.now.toISOString(), deleted_by: w.actor.userId, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .execute();
  await w.audit({ action: 'delete', entity: def.key, entityId: id, areaPath: refs.areasById.get(Number(before.area_id))?.path ?? null, before: auditSnapshot(def, before, refs) });
}

export async function restoreRecord(w: Write, def: LedgerDef, scope: Scope, id: number): Promise<void> {
  const refs = await RefIndex.load(w.trx);
  const row = decryptRows(w.store, def, [await getRecordRow(w.trx, def, scope, id, { deleted: true })])[0]!;
  const p = prepareRecord(w.store, def, rowToInput(def, row, refs), refs, { path: null }, Number(row.area_id));
  assertOpen(await closedPeriods(w.trx), refs.areasById.get(Number(row.area_id))?.path, row[snake(def.dateField)]);
  await assertKeyFree(w, def, p, id);
  await (w.trx as unknown as AnyDb)
    .updateTable(ledgerTable(def.key))
    .set({ deleted_at: null, deleted_by: null, version: Number(row.version) + 1, updated_at: w.now.toISOString(), updated_by: w.actor.userId })
    .where('id', '=', id)
    .execute();
  await w.audit({ action: 'update', entity: def.key, entityId: id, areaPath: refs.areasById.get(Number(row.area_id))?.path ?? null, detail: { restored: true } });
}
