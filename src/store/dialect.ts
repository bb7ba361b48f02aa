/**
 * Every difference between SQLite and PostgreSQL lives here (ids, row locks, triggers, type
 * parsing). Repositories and migrations use only the portable subset plus these helpers.
 */
import { sql, type ColumnDefinitionBuilder, type CreateTableBuilder, type Kysely } from 'kysely';

export type DbKind = 'sqlite' | 'postgres';

/** Adds an auto-increment integer primary key named `id`. */
export function withIdColumn<T extends string>(kind: DbKind, table: CreateTableBuilder<T, never>): CreateTableBuilder<T, 'id'> {
  return kind === 'sqlite'
    ? table.addColumn('id', 'integer', (c: ColumnDefinitionBuilder) => c.primaryKey().autoIncrement())
    : table.addColumn('id', 'integer', (c: ColumnDefinitionBuilder) => c.primaryKey().generatedByDefaultAsIdentity());
}

/** Serializes writers: takes the audit chain head's row lock (PostgreSQL) or the write lock (SQLite). */
export async function lockWriteHead(kind: DbKind, trx: Kysely<any>): Promise<{ seq: number; hash: string }> {
  if (kind === 'postgres') {
    const r = await sql<{ seq: number; hash: string }>`select seq, hash from audit_head where id = 1 for update`.execute(trx);
    return r.rows[0]!;
  }
  // A write first makes SQLite take its RESERVED lock now, so the transaction never has to
  // upgrade a read snapshot later (which fails at once with SQLITE_BUSY instead of waiting).
  await sql`update audit_head set seq = seq where id = 1`.execute(trx);
  const r = await sql<{ seq: number; hash: string }>`select seq, hash from audit_head where id = 1`.execute(trx);
  return r.rows[0]!;
}

/**
 * Triggers that make the audit log append-only: no update ever, no delete of an entry younger
 * than 180 days (网络安全法 art. 21: logs kept at least six months).
 */
export async function createAuditGuards(kind: DbKind, db: Kysely<any>): Promise<void> {
  if (kind === 'sqlite') {
    await sql`create trigger audit_log_no_update before update on audit_log
      begin select raise(abort, 'audit_log is append-only'); end`.execute(db);
    await sql`create trigger audit_log_retention before delete on audit_log
      when old.at > strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-180 days')
      begin select raise(abort, 'audit_log entries younger than 180 days cannot be deleted'); end`.execute(db);
    return;
  }
  await sql`create function audit_log_guard() returns trigger language plpgsql as $$
    begin
      if tg_op = 'UPDATE' then
        raise exception 'audit_log is append-only';
      end if;
      if old.at > to_char((now() at time zone 'utc') - interval '180 days', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') then
        raise exception 'audit_log entries younger than 180 days cannot be deleted';
      end if;
      return old;
    end $$`.execute(db);
  await sql`create trigger audit_log_guard before update or delete on audit_log
    for each row execute function audit_log_guard()`.execute(db);
}

/** SQL to drop the guards (used only by tests that play the tamperer). */
export async function dropAuditGuards(kind: DbKind, db: Kysely<any>): Promise<void> {
  if (kind === 'sqlite') {
    await sql`drop trigger if exists audit_log_no_update`.execute(db);
    await sql`drop trigger if exists audit_log_retention`.execute(db);
  } else {
    await sql`drop trigger if exists audit_log_guard on audit_log`.execute(db);
  }
}

/** Case-insensitive substring match that is a plain LIKE on SQLite (already ASCII-insensitive). */
export function likeOperator(kind: DbKind): 'like' | 'ilike' {
  return kind === 'postgres' ? 'ilike' : 'like';
}

/** Escapes LIKE wildcards in user text; queries add `escape '\'`. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
