/**
 * Consistent backup and restore while the server runs. SQLite: the online backup API (a
 * snapshot, pages copied while writers wait only briefly). PostgreSQL: pg_dump's snapshot and
 * pg_restore.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import type { Store } from './db.ts';

const run = promisify(execFile);

export async function backup(store: Store, out: string): Promise<void> {
  if (store.kind === 'sqlite') {
    if (!store.sqlite) throw new Error('no SQLite connection');
    await store.sqlite.backup(out);
    return;
  }
  await run('pg_dump', ['--format=custom', '--no-owner', `--file=${out}`, store.pgUrl!]);
}

export async function restore(store: Store, file: string): Promise<void> {
  if (!existsSync(file)) throw new Error(`备份文件不存在 / backup file not found: ${file}`);
  if (store.kind === 'sqlite') {
    if (!store.file) throw new Error('不能恢复到内存数据库 / cannot restore into an in-memory database');
    const source = new Database(file, { readonly: true, fileMustExist: true });
    try {
      const check = source.pragma('integrity_check', { simple: true });
      if (check !== 'ok') throw new Error(`备份文件已损坏 / backup fails integrity check: ${String(check)}`);
      const hasSchema = source.prepare("select count(*) as n from sqlite_master where name = 'audit_log'").get() as { n: number };
      if (!hasSchema.n) throw new Error('这不是 Jiceng 的备份文件 / not a Jiceng backup');
      // Copy the snapshot page by page into the live database; its other connections see the
      // restored content at their next transaction.
      await source.backup(store.file);
    } finally {
      source.close();
    }
    return;
  }
  await run('pg_restore', ['--clean', '--if-exists', '--no-owner', '--single-transaction', `--dbname=${store.pgUrl!}`, file]);
}
