/**
 * Exports of personal data: the export log (who, when, which ledger, filters, rows, masked or not,
 * the file's sha256) and the per-user grant to export 公民身份号码 / 手机号码 unmasked, which only a
 * security administrator gives or takes back. Both the grant and every export are audited; the
 * log is for the auditor, who reads no business records.
 */
import { createHash } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { AppError } from '../shared/errors.ts';
import type { Store } from './db.ts';
import { inScope, type Scope } from './scope.ts';
import { withWrite, type Actor, type Reader, type Write } from './unit-of-work.ts';

export async function mayExportUnmasked(db: Reader, userId: number | null): Promise<boolean> {
  if (userId === null) return false;
  const row = await db.selectFrom('export_grants').select('user_id').where('user_id', '=', userId).executeTakeFirst();
  return Boolean(row);
}

/** Grants or revokes the unmasked export of one user inside the granter's scope; audited. */
export async function setExportGrant(w: Write, scope: Scope, userId: number, allowed: boolean): Promise<{ userId: number; username: string; mayExportUnmasked: boolean }> {
  let q = w.trx.selectFrom('users as u').leftJoin('areas as a', 'a.id', 'u.area_id').select(['u.id', 'u.username', 'u.role', 'a.path']).where('u.id', '=', userId);
  if (scope.path !== null) q = q.where(inScope('a.path', scope));
  const user = await q.executeTakeFirst();
  if (!user) throw new AppError('NOT_FOUND', '没有找到该用户');
  if (allowed && (user.role === 'auditor' || user.role === 'secadmin' || user.role === 'sysadmin')) {
    throw new AppError('VALIDATION_FAILED', '系统管理员、安全管理员和审计管理员不读取业务记录，不能授予导出权限');
  }
  const had = await mayExportUnmasked(w.trx, userId);
  if (had !== allowed) {
    if (allowed) await w.trx.insertInto('export_grants').values({ user_id: userId, granted_at: w.now.toISOString(), granted_by: w.actor.userId }).execute();
    else await w.trx.deleteFrom('export_grants').where('user_id', '=', userId).execute();
    await w.audit({
      action: allowed ? 'grant.export_unmasked' : 'revoke.export_unmasked',
      entity: 'user',
      entityId: user.username,
      areaPath: user.path ?? null,
      before: { mayExportUnmasked: had },
      after: { mayExportUnmasked: allowed },
    });
  }
  return { userId, username: user.username, mayExportUnmasked: allowed };
}

export interface ExportStart {
  ledger: string;
  scope: Scope;
  filters: Record<string, unknown>;
  format: string;
  unmasked: boolean;
  /** The CLI names its output file. */
  file?: string;
}

/** Logs and audits the start of an export; returns the log entry's id. */
export async function startExport(store: Store, actor: Actor, e: ExportStart): Promise<number> {
  return withWrite(store, actor, async (w) => {
    const row = await w.trx
      .insertInto('export_log')
      .values({
        at: w.now.toISOString(),
        user_id: actor.userId,
        username: actor.username,
        ip: actor.ip,
        ledger: e.ledger,
        area_path: e.scope.path,
        filters: JSON.stringify(e.filters),
        format: e.format,
        unmasked: e.unmasked ? 1 : 0,
        rows: null,
        sha256: null,
        status: 'started',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const id = Number(row.id);
    await w.audit({ action: 'export', entity: e.ledger, entityId: id, areaPath: e.scope.path, detail: { format: e.format, unmasked: e.unmasked, query: e.filters, ...(e.file ? { file: e.file } : {}) } });
    return id;
  });
}

/** Records how the export ended: rows and checksum of the complete file, or failure; audited. */
export async function finishExport(store: Store, actor: Actor, id: number, outcome: { rows: number; sha256: string } | { failed: string }): Promise<void> {
  await withWrite(store, actor, async (w) => {
    const entry = await w.trx.selectFrom('export_log').select(['ledger', 'area_path']).where('id', '=', id).executeTakeFirstOrThrow();
    if ('failed' in outcome) {
      await w.trx.updateTable('export_log').set({ status: 'failed' }).where('id', '=', id).execute();
      await w.audit({ action: 'export.failed', entity: entry.ledger, entityId: id, areaPath: entry.area_path, detail: { reason: outcome.failed } });
      return;
    }
    await w.trx.updateTable('export_log').set({ status: 'done', rows: outcome.rows, sha256: outcome.sha256 }).where('id', '=', id).execute();
    await w.audit({ action: 'export.done', entity: entry.ledger, entityId: id, areaPath: entry.area_path, detail: { rows: outcome.rows, sha256: outcome.sha256 } });
  });
}

/** Counts rows of pages as they go by. */
export function countRows<T>(pages: AsyncIterable<T[]>, counter: { rows: number }): AsyncIterable<T[]> {
  return (async function* () {
    for await (const page of pages) {
      counter.rows += page.length;
      yield page;
    }
  })();
}

/** Passes the file through while hashing it; `done` is called once with the checksum or the error. */
export function hashingStream(source: Readable, done: (r: { sha256: string } | { error: Error }) => void): Readable {
  const hash = createHash('sha256');
  let settled = false;
  const settle = (r: { sha256: string } | { error: Error }) => {
    if (!settled) {
      settled = true;
      done(r);
    }
  };
  const t = new Transform({
    transform(chunk, _enc, cb) {
      hash.update(chunk as Buffer);
      cb(null, chunk);
    },
    flush(cb) {
      settle({ sha256: hash.digest('hex') });
      cb();
    },
  });
  source.on('error', (e) => {
    settle({ error: e });
    t.destroy(e);
  });
  t.on('close', () => settle({ error: new Error('下载中断 / download aborted') }));
  return source.pipe(t);
}

export interface ExportLogFilter {
  from?: string;
  to?: string;
  username?: string;
  ledger?: string;
  page: number;
  pageSize: number;
}

export interface ExportLogView {
  id: number;
  at: string;
  username: string | null;
  ip: string | null;
  ledger: string;
  filters: unknown;
  format: string;
  unmasked: boolean;
  rows: number | null;
  sha256: string | null;
  status: string;
}

/** The log of exports in the reader's scope, newest first. */
export async function listExportLog(db: Reader, scope: Scope, f: ExportLogFilter): Promise<{ total: number; items: ExportLogView[] }> {
  let q = db.selectFrom('export_log');
  if (scope.path !== null) q = q.where(inScope('area_path', scope));
  if (f.from) q = q.where('at', '>=', new Date(`${f.from}T00:00:00+08:00`).toISOString());
  if (f.to) q = q.where('at', '<', new Date(new Date(`${f.to}T00:00:00+08:00`).getTime() + 86_400_000).toISOString());
  if (f.username) q = q.where('username', '=', f.username);
  if (f.ledger) q = q.where('ledger', '=', f.ledger);
  const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await q.selectAll().orderBy('id', 'desc').limit(f.pageSize).offset((f.page - 1) * f.pageSize).execute();
  return {
    total: Number(total.n),
    items: rows.map((r) => {
      let filters: unknown = r.filters;
      try {
        filters = JSON.parse(r.filters);
      } catch {
        /* kept as text */
      }
      return {
        id: Number(r.id),
        at: r.at,
        username: r.username,
        ip: r.ip,
        ledger: r.ledger,
        filters,
        format: r.format,
        unmasked: Boolean(r.unmasked),
        rows: r.rows === null ? null : Number(r.rows),
        sha256: r.sha256,
        status: r.status,
      };
    }),
  };
}
