/**
 * The test run's own directory (JICENG_TEST_RUN_DIR, made by scripts/run-tests.mjs): every server a
 * test starts writes its JSON request log under logs/, and every database a test makes is listed
 * in databases.tsv, so the last test (test/zz-after-suite.test.ts) can scan the logs and audit
 * tables for personal data and secrets and verify the audit chain of every database.
 * Without the variable (a single file run by hand) nothing is recorded.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export function testRunDir(): string | null {
  const dir = process.env.JICENG_TEST_RUN_DIR;
  if (!dir) return null;
  mkdirSync(join(dir, 'logs'), { recursive: true });
  return dir;
}

let serial = 0;

/** A fresh log file for one server (in-process or a child), or null when the run keeps no logs. */
export function newLogFile(what: string): string | null {
  const dir = testRunDir();
  if (!dir) return null;
  serial++;
  return join(dir, 'logs', `${what}-${process.pid}-${serial}.jsonl`);
}

/** Records a database the tests made, with the key file its store will read (if one is named). */
export function recordDatabase(url: string, keyFile: string | null = process.env.JICENG_KEY_FILE ?? null): void {
  const dir = testRunDir();
  if (!dir) return;
  appendFileSync(join(dir, 'databases.tsv'), `db\t${url}\t${keyFile ? resolve(keyFile) : ''}\n`);
}

/** A key file a test hands to child processes (the CLI) by JICENG_KEY_FILE. */
export function recordKeyFile(path: string): void {
  const dir = testRunDir();
  if (!dir) return;
  appendFileSync(join(dir, 'databases.tsv'), `key\t${resolve(path)}\t\n`);
}

/** A database whose audit chain a test breaks on purpose (tamper tests): not verified at the end. */
export function recordTampered(url: string): void {
  const dir = testRunDir();
  if (!dir) return;
  appendFileSync(join(dir, 'databases.tsv'), `tampered\t${url}\t\n`);
}
