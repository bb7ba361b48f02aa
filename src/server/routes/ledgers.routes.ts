/** The record API of every ledger, its export, and the metric queries (CONTRACTS §2). */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../shared/errors.ts';
import { LEDGERS, ledgerByKey } from '../../domain/ledgers/catalogue.ts';
import { parseGroupBy, parseMeasure, parseRecordQuery, parseSort } from '../../domain/ledgers/query.ts';
import type { LedgerDef } from '../../domain/ledgers/types.ts';
import { can } from '../../domain/policy.ts';
import { exportStream } from '../../io/ledger-files.ts';
import { exportPages } from '../../store/ledger-export.ts';
import { countRows, finishExport, hashingStream, mayExportUnmasked, startExport } from '../../store/export-log.ts';
import type { Store } from '../../store/db.ts';
import {
  applyRecordQuery,
  baseQuery,
  createRecord,
  decryptRows,
  deleteRecord,
  getRecord,
  listRecords,
  presentRecord,
  restoreRecord,
  updateRecord,
  type Row,
} from '../../store/ledger.repository.ts';
import { runMetric } from '../../store/metrics.ts';
import { RefIndex } from '../../store/refs.ts';
import type { Scope } from '../../store/scope.ts';
import { withWrite } from '../../store/unit-of-work.ts';
import { principalOf, requestScope } from '../http.ts';
import type { Principal } from '../../store/auth.ts';

const ZKeyParams = z.object({ key: z.string().max(40) });
const ZIdParams = z.object({ key: z.string().max(40), id: z.coerce.number().int().positive() });
const ZListQuery = z
  .object({
    area: z.string().max(40).optional(),
    from: z.string().max(20).optional(),
    to: z.string().max(20).optional(),
    dateField: z.string().max(40).optional(),
    q: z.string().max(100).optional(),
    sort: z.string().max(40).optional(),
    page: z.coerce.number().int().min(1).max(1_000_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(500).default(20),
    deleted: z.enum(['true', 'false']).optional(),
  })
  .catchall(z.union([z.string().max(4000), z.array(z.string().max(4000))]));
const ZRecord = z.record(z.string(), z.unknown());
const ZRecordBody = z.record(z.string(), z.unknown());
const ZFieldDef = z.object({
  key: z.string(),
  label: z.string(),
  type: z.string(),
  required: z.boolean(),
  values: z.array(z.string()).optional(),
  unit: z.string().optional(),
  derived: z.boolean(),
  areaKind: z.string().optional(),
  hint: z.string().optional(),
});
const ZLedger = z.object({ key: z.string(), title: z.string(), dateField: z.string(), naturalKey: z.string().nullable(), hasArea: z.boolean(), fields: z.array(ZFieldDef) });

export function ledgerDef(key: string): LedgerDef {
  const def = ledgerByKey(key);
  if (!def) throw new AppError('NOT_FOUND', `没有“${key}”这个台账`);
  return def;
}

/** The area of records of a ledger without an area column: the user's own, or the root. */
export async function fallbackAreaId(store: Store, p: Principal, scope: Scope): Promise<number | null> {
  if (scope.path !== null) return Number(scope.path.split('/').filter(Boolean).pop());
  if (p.actor.areaId) return p.actor.areaId;
  const roots = await store.db.selectFrom('areas').select('id').where('parent_id', 'is', null).execute();
  if (roots.length === 1) return roots[0]!.id;
  throw new AppError('VALIDATION_FAILED', '数据库中有多个根区域，请用 area= 指明记录所属区域');
}

function queryParams(request: FastifyRequest): Record<string, unknown> {
  return request.query as Record<string, unknown>;
}

export function ledgerRoutes(app: FastifyInstance, store: Store) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/ledgers', { config: { access: 'signedIn' }, schema: { tags: ['ledgers'], summary: '台账目录', response: { 200: z.object({ items: z.array(ZLedger) }) } } }, async () => ({
    items: LEDGERS.map((d) => ({
      key: d.key,
      title: d.title,
      dateField: d.dateField,
      naturalKey: d.naturalKey ?? null,
      hasArea: d.areaField !== null,
      fields: d.fields.map((f) => ({
        key: f.key,
        label: f.label,
        type: f.type,
        required: Boolean(f.required),
        derived: Boolean(f.derived),
        ...(f.values ? { values: [...f.values] } : f.type === 'boolean' ? { values: ['是', '否'] } : {}),
        ...(f.unit ? { unit: f.unit } : {}),
        ...(f.areaKind ? { areaKind: f.areaKind } : {}),
        ...(f.hint ? { hint: f.hint } : {}),
      })),
    })),
  }));

  r.get('/api/ledgers/:key/records', { config: { access: 'ledger.read', largeResponse: true }, schema: { tags: ['ledgers'], summary: '记录列表（筛选、搜索、排序、分页）', params: ZKeyParams, querystring: ZListQuery, response: { 200: z.object({ total: z.number(), items: z.array(ZRecord) }) } } }, async (request) => {
    const p = principalOf(request);
    const def = ledgerDef(request.params.key);
    const q = request.query;
    const scope = await requestScope(store, p, q.area);
    if (q.deleted === 'true' && !can(p.user.role, 'tree.write')) throw new AppError('FORBIDDEN');
    return listRecords(store, def, scope, parseRecordQuery(def, queryParams(request)), parseSort(def, q.sort), q.page, q.pageSize, { deleted: q.deleted === 'true' });
  });

  r.post('/api/ledgers/:key/records', { config: { access: 'ledger.write' }, schema: { tags: ['ledgers'], summary: '新增记录', params: ZKeyParams, querystring: z.object({ area: z.string().max(40).optional() }), body: ZRecordBody, response: { 200: ZRecord } } }, async (request) => {
    const p = principalOf(request);
    const def = ledgerDef(request.params.key);
    const scope = await requestScope(store, p, request.query.area);
    const fallback = def.areaField === null ? await fallbackAreaId(store, p, scope) : null;
    const id = await withWrite(store, p.actor, (w) => createRecord(w, def, p.scope, request.body, fallback));
    return getRecord(store, def, p.scope, id);
  });

  r.get('/api/ledgers/:key/records/:id', { config: { access: 'ledger.read' }, schema: { tags: ['ledgers'], params: ZIdParams, response: { 200: ZRecord } } }, async (request) => {
    const p = principalOf(request);
    return getRecord(store, ledgerDef(request.params.key), p.scope, request.params.id);
  });

  r.patch('/api/ledgers/:key/records/:id', { config: { access: 'ledger.write' }, schema: { tags: ['ledgers'], summary: '修改记录（须带读取时的 version）', params: ZIdParams, body: ZRecordBody.and(z.object({ version: z.number().int().positive() })), response: { 200: ZRecord } } }, async (request) => {
    const p = principalOf(request);
    const def = ledgerDef(request.params.key);
    const { version, ...patch } = request.body;
    await withWrite(store, p.actor, (w) => updateRecord(w, def, p.scope, request.params.id, patch, version, null));
    return getRecord(store, def, p.scope, request.params.id);
  });

  r.delete('/api/ledgers/:key/records/:id', { config: { access: 'ledger.write' }, schema: { tags: ['ledgers'], summary: '删除记录（可恢复；须带 version）', params: ZIdParams, querystring: z.object({ version: z.coerce.number().int().positive().optional() }), body: z.object({ version: z.number().int().positive() }).optional(), response: { 200: z.object({ ok: z.boolean() }) } } }, async (request) => {
    const p = principalOf(request);
    const version = request.body?.version ?? request.query.version;
    if (!version) throw new AppError('VALIDATION_FAILED', '删除时须提供读取记录时的 version');
    await withWrite(store, p.actor, (w) => deleteRecord(w, ledgerDef(request.params.key), p.scope, request.params.id, version));
    return { ok: true };
  });

  r.post('/api/ledgers/:key/records/:id/restore', { config: { access: 'ledger.write' }, schema: { tags: ['ledgers'], summary: '恢复已删除的记录', params: ZIdParams, response: { 200: ZRecord } } }, async (request) => {
    const p = principalOf(request);
    const def = ledgerDef(request.params.key);
    await withWrite(store, p.actor, (w) => restoreRecord(w, def, p.scope, request.params.id));
    return getRecord(store, def, p.scope, request.params.id);
  });

  r.get('/api/ledgers/:key/export', { config: { access: 'ledger.read' }, schema: { tags: ['ledgers'], summary: '导出（与列表相同的筛选；表头即导入表头；默认脱敏，未脱敏导出须经安全管理员单独授权）', params: ZKeyParams, querystring: ZListQuery.and(z.object({ format: z.enum(['xlsx', 'csv']).optional(), unmasked: z.enum(['true', 'false', '1', '0']).optional() })) } }, async (request, reply) => {
    const p = principalOf(request);
    const def = ledgerDef(request.params.key);
    const q = request.query as z.infer<typeof ZListQuery> & { format?: 'xlsx' | 'csv'; unmasked?: string };
    const unmasked = q.unmasked === 'true' || q.unmasked === '1';
    // Masked by default; unmasked only for a user a security administrator granted it to.
    if (unmasked && !(await mayExportUnmasked(store.db, p.user.id))) throw new AppError('FORBIDDEN', '您无权导出未脱敏的身份证号码和手机号码，请联系安全管理员授权');
    const scope = await requestScope(store, p, q.area);
    parseRecordQuery(def, queryParams(request)); // refuse a bad query before the download starts
    const format = q.format ?? 'xlsx';
    const exportId = await startExport(store, p.actor, { ledger: def.key, scope, filters: queryParams(request), format, unmasked });
    const counter = { rows: 0 };
    const pages = countRows(exportPages(store, def, scope, queryParams(request), unmasked), counter);
    const name = encodeURIComponent(`${def.title}.${format}`);
    reply.header('Content-Disposition', `attachment; filename="export.${format}"; filename*=UTF-8''${name}`);
    reply.type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const body = hashingStream(exportStream(def, format, pages), (r) => {
      const outcome = 'sha256' in r ? { rows: counter.rows, sha256: r.sha256 } : { failed: r.error.message };
      finishExport(store, p.actor, exportId, outcome).catch((e) => request.log.error({ err: e }, 'export log not finished'));
    });
    return reply.send(body);
  });

  const ZMetricQuery = ZListQuery.and(z.object({ ledger: z.string().max(40), measure: z.string().max(200).optional(), groupBy: z.string().max(40).optional() }));
  const ZMetricResult = z.object({
    value: z.union([z.number(), z.string()]),
    unit: z.string().nullable(),
    groups: z.array(z.object({ key: z.string(), label: z.string(), value: z.union([z.number(), z.string()]) })).optional(),
  });

  r.get('/api/metrics/query', { config: { access: 'ledger.read', largeResponse: true }, schema: { tags: ['metrics'], summary: '指标查询：count / sum / distinct / coverage / rate，可分组', querystring: ZMetricQuery, response: { 200: ZMetricResult } } }, async (request) => {
    const p = principalOf(request);
    const q = request.query as z.infer<typeof ZMetricQuery>;
    const def = ledgerDef(q.ledger);
    const scope = await requestScope(store, p, q.area);
    return runMetric(store, def, scope, parseRecordQuery(def, queryParams(request)), parseMeasure(def, q.measure), parseGroupBy(def, q.groupBy));
  });

  r.get('/api/metrics/records', { config: { access: 'ledger.read', largeResponse: true }, schema: { tags: ['metrics'], summary: '指标背后的记录', querystring: ZMetricQuery, response: { 200: z.object({ total: z.number(), items: z.array(ZRecord) }) } } }, async (request) => {
    const p = principalOf(request);
    const q = request.query as z.infer<typeof ZMetricQuery>;
    const def = ledgerDef(q.ledger);
    const scope = await requestScope(store, p, q.area);
    parseMeasure(def, q.measure);
    return listRecords(store, def, scope, parseRecordQuery(def, queryParams(request)), parseSort(def, q.sort), q.page, q.pageSize);
  });
}
