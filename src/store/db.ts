/**
 * Opens the store: the one place that picks a database from `--db` / `JICENG_DB`.
 */
import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type LogEvent, type Transaction } from 'kysely';
import pg from 'pg';
import type { Database as Schema } from './schema.ts';
import type { DbKind } from './dialect.ts';
import { ReadPool, readKysely } from './read-pool.ts';
import { deriveKey, fieldCipher, keyFilePath, loadMasterKey, type FieldCipher } from './keys.ts';

export type Db = Kysely<Schema>;
export type Trx = Transaction<Schema>;

export interface Store {
  db: Db;
  /**
   * For queries that can be long (metrics, lists, compliance, reports): off the main thread on
   * SQLite (read-pool.ts), the same pool as `db` on PostgreSQL. Never inside a write transaction.
   */
  read: Db;
  kind: DbKind;
  /** The URL or file path the store was opened with (passwords masked). */
  label: string;
  /** SQLite file path, or null for PostgreSQL / in-memory. */
  file: string | null;
  /** The raw driver connection, for online backup and integrity checks on SQLite. */
  sqlite: Database.Database | null;
  pgUrl: string | null;
  /** Key of the audit log's HMAC chain. */
  auditKey: Buffer;
  /** Encryption of 公民身份号码 / 手机号码. */
  cipher: FieldCipher;
  close(): Promise<void>;
}

export const DEFAULT_DB = './data/jiceng.db';

// PostgreSQL returns int8 (count) and numeric as strings; our counts fit in a double exactly.
pg.types.setTypeParser(20, (v) => Number(v));

export function dbKindOf(url: string): DbKind {
  return /^postgres(ql)?:\/\//.test(url) ? 'postgres' : 'sqlite';
}

export interface StoreOptions {
  /** Sees every statement run (the bench uses it to run the same SQL on the bare driver). */
  onQuery?: (sql: string, parameters: readonly unknown[]) => void;
}

export function openStore(url: string = process.env.JICENG_DB || DEFAULT_DB, opts: StoreOptions = {}): Store {
  const log = opts.onQuery
    ? (e: LogEvent) => {
        if (e.level === 'query') opts.onQuery!(e.query.sql, e.query.parameters);
      }
    : undefined;
  if (dbKindOf(url) === 'postgres') {
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }), ...(log ? { log } : {}) });
    const master = loadMasterKey(keyFilePath(null) ?? resolve('./data/jiceng.key'));
    return {
      db,
      read: db,
      auditKey: deriveKey(master, 'audit'),
      cipher: fieldCipher(master),
      kind: 'postgres',
      label: url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@'),
      file: null,
      sqlite: null,
      pgUrl: url,
      close: () => db.destroy(),
    };
  }
  const file = url === ':memory:' ? null : resolve(url.replace(/^sqlite:(\/\/)?/, ''));
  if (file) mkdirSync(dirname(file), { recursive: true });
  const sqlite = new Database(file ?? ':memory:');
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 10000');
  sqlite.pragma('synchronous = NORMAL');
  // 32 MB of page cache for the writing connection (default 2 MB): an import inserts into four
  // B-trees in file order, and with the small cache it kept re-reading their pages.
  sqlite.pragma('cache_size = -32000');
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: sqlite }), ...(log ? { log } : {}) });
  const master = loadMasterKey(keyFilePath(file));
  const workers = Number(process.env.JICENG_READ_WORKERS ?? Math.min(4, availableParallelism()));
  const pool = file && workers > 0 ? new ReadPool(file, workers) : null;
  const read = pool ? readKysely(pool, log) : db;
  return {
    db,
    read,
    auditKey: deriveKey(master, 'audit'),
    cipher: fieldCipher(master),
    kind: 'sqlite',
    label: file ?? ':memory:',
    file,
    sqlite,
    pgUrl: null,
    close: async () => {
      if (pool) await read.destroy();
      await db.destroy();
    },
  };
}
