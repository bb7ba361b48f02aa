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

/** The audit chain head a backup holds: every change up to that entry is in it, none after. */
export interface BackupPoint {
  seq: number;
  hash: string;
}

export async function backup(store: Store, out: string): Promise<BackupPoint> {
  if (store.kind === 'sqlite') {
    if (!store.sqlite) throw new Error('no SQLite connection');
    // The whole database in one step: one read transaction, so the copy is the snapshot of one
    // moment even while other processes keep writing (WAL: they are not blocked). Copying in many
    // small steps restarts whenever another connection writes, and may never finish under load.
    await store.sqlite.backup(out, { progress: () => 1_000_000_000 });
    const copy = new Database(out, { readonly: true, fileMustExist: true });
    try {
      return copy.prepare('select seq, hash from audit_head where id = 1').get() as BackupPoint;
    } finally {
      copy.close();
    }
  }
  await run('pg_dump', ['--format=custom', '--no-owner', `--file=${out}`, store.pgUrl!]);
  // The audit head as the dump's snapshot saw it, read back from the dump itself.
  const { stdout } = await run('pg_restore', ['--data-only', '--table=audit_head', '--file=-', out]);
  const row = /^COPY [^\n]*audit_head[^\n]*FROM stdin;\n(\d+)\t(\d+)\t([0-9a-f]+)\t/m.exec(stdout);
  if (!row) throw new Error('备份中没有审计链头 / the dump holds no audit head');
  return { seq: Number(row[2]), hash: row[3]! };
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
