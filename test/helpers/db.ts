/**
 * Test databases: a fresh SQLite file per call, and — when JICENG_TEST_PG is set — a fresh
 * PostgreSQL database on that server. Integration tests loop over `dialects()`.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStore, type Store, type StoreOptions } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { recordDatabase } from './test-run.ts';

export type Dialect = 'sqlite' | 'postgres';

export function dialects(): Dialect[] {
  return process.env.JICENG_TEST_PG ? ['sqlite', 'postgres'] : ['sqlite'];
}

/** A URL for a brand-new empty database of that dialect. */
export async function freshDbUrl(dialect: Dialect): Promise<string> {
  if (dialect === 'sqlite') {
    const file = join(mkdtempSync(join(tmpdir(), 'jiceng-test-')), 'test.db');
    recordDatabase(file);
    return file;
  }
  const admin = process.env.JICENG_TEST_PG!;
  const name = `t_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  recordDatabase(url.toString());
  return url.toString();
}

export async function freshStore(dialect: Dialect, options: StoreOptions = {}): Promise<Store> {
  const url = await freshDbUrl(dialect);
  if (dialect === 'postgres') process.env.JICENG_KEY_FILE ??= join(mkdtempSync(join(tmpdir(), 'jiceng-key-')), 'test.key');
  // The key this store reads (JICENG_KEY_FILE, or the file beside an SQLite database).
  recordDatabase(url, process.env.JICENG_KEY_FILE ?? (dialect === 'sqlite' ? `${url}.key` : null));
  const store = openStore(url, options);
  await migrate(store);
  return store;
}
