/**
 * Every write runs through `withWrite`: one transaction, passed down explicitly, that holds the
 * audit chain's head, so the change and its audit entries commit together or not at all.
 */
import type { Role } from '../shared/constants.ts';
import { auditHash } from '../domain/audit-chain.ts';
import { lockWriteHead } from './dialect.ts';
import type { Db, Store, Trx } from './db.ts';

/** Who is acting, from where, and over which part of the area tree. */
export interface Actor {
  userId: number | null;
  username: string | null;
  role: Role | 'system';
  /** Path of the actor's area; null means the whole database. */
  areaPath: string | null;
  areaId: number | null;
  ip: string | null;
}

export const SYSTEM_ACTOR: Actor = {
  userId: null,
  username: '系统(命令行)',
  role: 'system',
  areaPath: null,
  areaId: null,
  ip: 'local',
};

export interface AuditInput {
  action: string;
  entity?: string | null;
  entityId?: string | number | null;
  areaPath?: string | null;
  before?: unknown;
  after?: unknown;
  detail?: unknown;
}

export interface Write {
  trx: Trx;
  store: Store;
  actor: Actor;
  now: Date;
  audit(entry: AuditInput): Promise<void>;
}

function json(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

export async function withWrite<T>(store: Store, actor: Actor, fn: (w: Write) => Promise<T>): Promise<T> {
  return store.db.transaction().execute(async (trx) => {
    const head = await lockWriteHead(store.kind, trx);
    const now = new Date();
    const w: Write = {
      trx,
      store,
      actor,
      now,
      async audit(entry) {
        const fields = {
          seq: head.seq + 1,
          at: new Date().toISOString(),
          userId: actor.userId,
          username: actor.username,
          ip: actor.ip,
          action: entry.action,
          entity: entry.entity ?? null,
          entityId: entry.entityId === undefined || entry.entityId === null ? null : String(entry.entityId),
          // Unless the entry is about a record elsewhere, it belongs to the actor's own area.
          areaPath: entry.areaPath === undefined ? actor.areaPath : entry.areaPath,
          before: json(entry.before),
          after: json(entry.after),
          detail: json(entry.detail),
          prevHash: head.hash,
        };
        const hash = auditHash(store.auditKey, fields);
        await trx
          .insertInto('audit_log')
          .values({
            seq: fields.seq,
            at: fields.at,
            user_id: fields.userId,
            username: fields.username,
            ip: fields.ip,
            action: fields.action,
            entity: fields.entity,
            entity_id: fields.entityId,
            area_path: fields.areaPath,
            before: fields.before,
            after: fields.after,
            detail: fields.detail,
            prev_hash: fields.prevHash,
            hash,
          })
          .execute();
        await trx.updateTable('audit_head').set({ seq: fields.seq, hash }).where('id', '=', 1).execute();
        head.seq = fields.seq;
        head.hash = hash;
      },
    };
    return fn(w);
  });
}

/** Read-only queries take a Db or a Trx; writes take a Write. */
export type Reader = Db | Trx;
