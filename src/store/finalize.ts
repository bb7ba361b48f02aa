/**
 * Finalizing (封账) an annual report: its figures, text and Word bytes are kept with a hash and
 * served unchanged ever after; a 差异 view lists the figures whose records have changed since;
 * records of the closed year change only through corrections a leader approves.
 */
import { createHash } from 'node:crypto';
import { AppError } from '../shared/errors.ts';
import { ledgerByKey } from '../domain/ledgers/catalogue.ts';
import { reportDocx } from '../io/report-docx.ts';
import type { Store } from './db.ts';
import { getRecordRow, updateRecord } from './ledger.repository.ts';
import { RefIndex } from './refs.ts';
import { closedFor, closedPeriods } from './period-close.ts';
import { composeAnnualReport, type AnnualReport } from './report.ts';
import { inScope, type Scope } from './scope.ts';
import { getAreaByCode } from './trees.repository.ts';
import { withWrite, type Actor } from './unit-of-work.ts';

export async function finalizeReport(store: Store, actor: Actor, scope: Scope, areaCode: string, year: number) {
  const area = await getAreaByCode(store.db, scope, areaCode);
  const existing = await store.db.selectFrom('finalized_reports').select('created_at').where('area_id', '=', area.id).where('year', '=', year).executeTakeFirst();
  if (existing) throw new AppError('CONFLICT', `${year}年度报告已于${existing.created_at.slice(0, 10)}定稿封账`);
  const report = await composeAnnualReport(store, scope, areaCode, year);
  const json = JSON.stringify(report);
  const docx = await reportDocx(report);
  const sha256 = createHash('sha256').update(json).update(docx).digest('hex');
  await withWrite(store, actor, async (w) => {
    await w.trx.insertInto('finalized_reports').values({ area_id: area.id, year, report_json: json, docx, sha256, created_at: w.now.toISOString(), created_by: actor.userId }).execute();
    await w.audit({ action: 'update', entity: 'report', entityId: `${areaCode}-${year}`, areaPath: area.path, after: { finalized: true, sha256 } });
  });
  return { sha256 };
}

export async function getFinalized(store: Store, scope: Scope, areaCode: string, year: number) {
  const area = await getAreaByCode(store.db, scope, areaCode);
  const row = await store.db.selectFrom('finalized_reports').selectAll().where('area_id', '=', area.id).where('year', '=', year).executeTakeFirst();
  if (!row) return null;
  const docx = Buffer.isBuffer(row.docx) ? row.docx : Buffer.from(row.docx as unknown as Uint8Array);
  return { report: JSON.parse(row.report_json) as AnnualReport, json: row.report_json, docx, sha256: row.sha256, finalizedAt: row.created_at };
}

/** Figures of the finalized report whose value the records give differently today. */
export async function reportDiff(store: Store, scope: Scope, areaCode: string, year: number) {
  const final = await getFinalized(store, scope, areaCode, year);
  if (!final) throw new AppError('NOT_FOUND', `${year}年度报告尚未定稿`);
  const now = await composeAnnualReport(store, scope, areaCode, year);
  const current = new Map(now.sections.flatMap((s) => s.paragraphs.flatMap((p) => p.figures)).map((f) => [f.key, f]));
  const changed = [];
  for (const f of final.report.sections.flatMap((s) => s.paragraphs.flatMap((p) => p.figures))) {
    const c = current.get(f.key);
    if (!c || String(c.value) !== String(f.value)) changed.push({ key: f.key, label: f.label, finalValue: f.value, currentValue: c?.value ?? null, unit: f.unit, query: f.query });
  }
  return { finalizedAt: final.finalizedAt, sha256: final.sha256, changed };
}

export async function requestCorrection(store: Store, actor: Actor, scope: Scope, input: { ledger: string; recordId: number; changes: Record<string, unknown>; reason: string }) {
  const def = ledgerByKey(input.ledger);
  if (!def) throw new AppError('NOT_FOUND', `没有“${input.ledger}”这个台账`);
  const row = await getRecordRow(store.db, def, scope, input.recordId);
  const refs = await RefIndex.load(store.db);
  const dateColumn = def.dateField.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  if (!closedFor(await closedPeriods(store.db), refs.areasById.get(Number(row.area_id))?.path, row[dateColumn])) {
    throw new AppError('VALIDATION_FAILED', '该记录所在年度尚未封账，请直接修改记录');
  }
  return withWrite(store, actor, async (w) => {
    const { id } = await w.trx
      .insertInto('corrections')
      .values({ ledger: def.key, record_id: input.recordId, changes: JSON.stringify(input.changes), reason: input.reason, status: 'pending', area_id: Number(row.area_id), requested_at: w.now.toISOString(), requested_by: actor.userId, decided_at: null, decided_by: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await w.audit({ action: 'create', entity: 'correction', entityId: Number(id), areaPath: refs.areasById.get(Number(row.area_id))?.path ?? null, after: input });
    return Number(id);
  });
}

export async function listCorrections(store: Store, scope: Scope, status?: string) {
  let q = store.db
    .selectFrom('corrections as c')
    .innerJoin('areas as a', 'a.id', 'c.area_id')
    .leftJoin('users as u', 'u.id', 'c.requested_by')
    .select(['c.id', 'c.ledger', 'c.record_id', 'c.changes', 'c.reason', 'c.status', 'c.requested_at', 'c.decided_at', 'u.username as requested_by', 'a.code as area'])
    .where(inScope('a.path', scope));
  if (status) q = q.where('c.status', '=', status);
  const rows = await q.orderBy('c.id', 'desc').limit(500).execute();
  return rows.map((r) => ({ ...r, changes: JSON.parse(r.changes) as Record<string, unknown> }));
}

/** A leader's decision; an approved correction is applied through the ordinary write path, audited as a correction. */
export async function decideCorrection(store: Store, actor: Actor, scope: Scope, id: number, approve: boolean) {
  await withWrite(store, actor, async (w) => {
    const c = await w.trx
      .selectFrom('corrections as c')
      .innerJoin('areas as a', 'a.id', 'c.area_id')
      .selectAll('c')
      .select('a.path')
      .where('c.id', '=', id)
      .where(inScope('a.path', scope))
      .executeTakeFirst();
    if (!c) throw new AppError('NOT_FOUND', '没有该更正申请');
    if (c.status !== 'pending') throw new AppError('CONFLICT', '该更正申请已处理');
    if (c.requested_by === actor.userId) throw new AppError('FORBIDDEN', '不能审批自己提交的更正申请');
    if (approve) {
      const def = ledgerByKey(c.ledger)!;
      const row = await getRecordRow(w.trx, def, scope, c.record_id);
      await updateRecord(w, def, scope, c.record_id, JSON.parse(c.changes) as Record<string, unknown>, Number(row.version), null, { correction: true });
    }
    await w.trx.updateTable('corrections').set({ status: approve ? 'approved' : 'rejected', decided_at: w.now.toISOString(), decided_by: actor.userId }).where('id', '=', id).execute();
    await w.audit({ action: approve ? 'update' : 'retire', entity: 'correction', entityId: id, areaPath: c.path, after: { status: approve ? 'approved' : 'rejected' } });
  });
}
