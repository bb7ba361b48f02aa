/** Reading and verifying the audit log (its writing is in unit-of-work.ts). */
import { createChainVerifier, type ChainBreak } from '../domain/audit-chain.ts';
import type { Store } from './db.ts';
import { inScope, type Scope } from './scope.ts';
import type { Reader } from './unit-of-work.ts';

export interface AuditFilter {
  from?: string;
  to?: string;
  username?: string;
  action?: string[];
  entity?: string;
  entityId?: string;
  page: number;
  pageSize: number;
}

export interface AuditEntryView {
  seq: number;
  at: string;
  username: string | null;
  ip: string | null;
  action: string;
  entity: string | null;
  entityId: string | null;
  before: unknown;
  after: unknown;
  detail: unknown;
}

function parse(v: string | null): unknown {
  if (v === null) return null;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

/**
 * Entries in the scope: for an auditor of a subtree, those about records in it. Entries with no
 * area (sign-ins of whole-database users) are for whole-database auditors only.
 */
export async function listAudit(db: Reader, scope: Scope, f: AuditFilter): Promise<{ total: number; items: AuditEntryView[] }> {
  let q = db.selectFrom('audit_log');
  if (scope.path !== null) q = q.where(inScope('area_path', scope));
  // `from`/`to` are calendar days in Asia/Shanghai; `at` is UTC.
  if (f.from) q = q.where('at', '>=', new Date(`${f.from}T00:00:00+08:00`).toISOString());
  if (f.to) q = q.where('at', '<', new Date(new Date(`${f.to}T00:00:00+08:00`).getTime() + 86_400_000).toISOString());
  if (f.username) q = q.where('username', '=', f.username);
  if (f.action?.length) q = q.where('action', 'in', f.action);
  if (f.entity) q = q.where('entity', '=', f.entity);
  if (f.entityId) q = q.where('entity_id', '=', f.entityId);
  const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await q
    .select(['seq', 'at', 'username', 'ip', 'action', 'entity', 'entity_id', 'before', 'after', 'detail'])
    .orderBy('seq', 'desc')
    .limit(f.pageSize)
    .offset((f.page - 1) * f.pageSize)
    .execute();
  return {
    total: Number(total.n),
    items: rows.map((r) => ({
      seq: r.seq,
      at: r.at,
      username: r.username,
      ip: r.ip,
      action: r.action,
      entity: r.entity,
      entityId: r.entity_id,
      before: parse(r.before),
      after: parse(r.after),
      detail: parse(r.detail),
    })),
  };
}

/** Walks the whole chain in pages (bounded memory); null when intact. */
export async function verifyAuditLog(store: Store): Promise<{ entries: number; broken: ChainBreak | null }> {
  const head = await store.db.selectFrom('audit_head').select(['seq', 'hash', 'first_seq']).where('id', '=', 1).executeTakeFirstOrThrow();
  const pageSize = 5000;
  let count = 0;
  async function* entries() {
    let after = 0;
    for (;;) {
      const rows = await store.db.selectFrom('audit_log').selectAll().where('seq', '>', after).orderBy('seq').limit(pageSize).execute();
      for (const r of rows) {
        count++;
        yield {
          seq: Number(r.seq),
          at: r.at,
          userId: r.user_id === null ? null : Number(r.user_id),
          username: r.username,
          ip: r.ip,
          action: r.action,
          entity: r.entity,
          entityId: r.entity_id,
          areaPath: r.area_path,
          before: r.before,
          after: r.after,
          detail: r.detail,
          prevHash: r.prev_hash,
          hash: r.hash,
        };
      }
      if (rows.length < pageSize) return;
      after = Number(rows[rows.length - 1]!.seq);
    }
  }
  const verifier = createChainVerifier(store.auditKey, { seq: Number(head.seq), hash: head.hash, firstSeq: Number(head.first_seq) });
  for await (const e of entries()) {
    const broken = verifier.push(e);
    if (broken) return { entries: count, broken };
  }
  return { entries: count, broken: verifier.finish() };
}
