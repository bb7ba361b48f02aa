/**
 * Reads off the main thread on SQLite. better-sqlite3 answers synchronously, so a 500 ms
 * aggregate on the main connection would stall every other request of the process. Queries
 * that can be long (metrics, lists, compliance, reports, the dashboard) go through `store.read`:
 * on SQLite a Kysely instance whose driver sends the compiled statement to one of a few worker
 * threads, each with its own read-only connection (WAL lets them read beside the writer and see
 * every committed write). On PostgreSQL and in-memory databases `store.read` is `store.db`.
 */
import { Worker } from 'node:worker_threads';
import {
  Kysely,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type LogEvent,
  type QueryResult,
} from 'kysely';
import type { Database as Schema } from './schema.ts';

interface Pending {
  resolve(rows: unknown[]): void;
  reject(e: Error): void;
}

/** Rows back as objects keyed by column name, as every other driver answers. */
function objects(columns: string[], rows: unknown[][]): Array<Record<string, unknown>> {
  const out = new Array<Record<string, unknown>>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const o: Record<string, unknown> = {};
    for (let c = 0; c < columns.length; c++) o[columns[c]!] = r[c];
    out[i] = o;
  }
  return out;
}

class PoolWorker {
  readonly worker: Worker;
  readonly pending = new Map<number, Pending>();
  constructor(file: string) {
    this.worker = new Worker(new URL('./read-worker.mjs', import.meta.url), { workerData: { file } });
    // A pool of idle workers must not keep a finished CLI command alive.
    this.worker.unref();
    this.worker.on('message', (m: { id: number; columns?: string[]; rows?: unknown[][]; error?: { message: string; code?: string } }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.error) p.reject(Object.assign(new Error(m.error.message), { code: m.error.code }));
      else p.resolve(objects(m.columns!, m.rows!));
    });
    this.worker.on('error', (e) => {
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    });
  }
}

export class ReadPool {
  private workers: PoolWorker[] = [];
  private nextId = 1;
  private closed = false;
  constructor(
    private readonly file: string,
    private readonly size: number,
  ) {}

  /** Sends one statement to the least busy worker (workers start on first use). */
  query(sql: string, params: readonly unknown[]): Promise<unknown[]> {
    if (this.closed) return Promise.reject(new Error('read pool closed'));
    if (this.workers.length < this.size && this.workers.every((w) => w.pending.size > 0)) this.workers.push(new PoolWorker(this.file));
    let w = this.workers[0]!;
    for (const x of this.workers) if (x.pending.size < w.pending.size) w = x;
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      w.pending.set(id, { resolve, reject });
      if (w.pending.size === 1) w.worker.ref();
      w.worker.postMessage({ id, sql, params });
    }).finally(() => {
      if (w.pending.size === 0) w.worker.unref();
    }) as Promise<unknown[]>;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
    this.workers = [];
  }
}

class PoolConnection implements DatabaseConnection {
  constructor(private readonly pool: ReadPool) {}
  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const rows = (await this.pool.query(compiled.sql, compiled.parameters)) as R[];
    return { rows };
  }
  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('read pool: streaming is not supported');
  }
}

class PoolDriver implements Driver {
  constructor(private readonly pool: ReadPool) {}
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    return new PoolConnection(this.pool);
  }
  async beginTransaction(): Promise<void> {
    throw new Error('read pool: no transactions (write through store.db)');
  }
  async commitTransaction(): Promise<void> {}
  async rollbackTransaction(): Promise<void> {}
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {
    await this.pool.close();
  }
}

/** A Kysely instance that runs every query on the pool's workers. */
export function readKysely(pool: ReadPool, log?: (e: LogEvent) => void): Kysely<Schema> {
  const dialect: Dialect = {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new PoolDriver(pool),
    createQueryCompiler: () => new SqliteQueryCompiler(),
    createIntrospector: (db) => new SqliteIntrospector(db),
  };
  return new Kysely<Schema>({ dialect, ...(log ? { log } : {}) });
}
