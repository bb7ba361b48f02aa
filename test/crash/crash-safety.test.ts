/**
 * Crash safety of ledger imports: the real processes are killed with SIGKILL at seeded random
 * moments while they import a file of several thousand rows — `jiceng import` (the CLI) and
 * `jiceng serve` answering POST /api/imports (HTTP) — 20 kills on SQLite, one on PostgreSQL.
 * After every kill: PRAGMA integrity_check is ok, the file's records are all there or none (counted
 * by the import's file checksum and by their content), and the audit chain verifies — in-process
 * with verifyAuditLog (the function `jiceng audit verify` runs) after every kill, and with the real
 * `jiceng audit verify` on a copy of the database taken after each kill (a sample of them on
 * SQLite, run at the end two at a time to keep the file fast; every one on PostgreSQL).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import { verifyAuditLog } from '../../src/store/audit.repository.ts';
import { openStore } from '../../src/store/db.ts';
import { collect, jicengAsync, jicengSync, startServe } from '../helpers/cli.ts';
import { dialects, freshDbUrl } from '../helpers/db.ts';
import { newLogFile, recordDatabase } from '../helpers/test-run.ts';
import { Client } from '../helpers/http.ts';

const ROWS = 8000;
const KILLS_SQLITE = 20;
const HTTP_KILLS = 8;
const SEED = 20261129;

/** mulberry32: the kill moments are random but the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const dir = mkdtempSync(join(tmpdir(), 'jiceng-crash-'));
const keyFile = join(dir, 'crash.key');
const env = { JICENG_KEY_FILE: keyFile };

/** One file per round (its name in every row), so every round has its own checksum. */
function ledgerFile(round: number): { path: string; sha256: string; tag: string } {
  const tag = `R${String(round).padStart(2, '0')}-`;
  const lines = ['日期,活动类型,活动名称,区域编码,主办党组织编码,参与人数'];
  for (let i = 0; i < ROWS; i++) lines.push(`2024-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')},志愿服务,${tag}志愿活动${i},DH-S02,DH-S02-DW-ZB1,${1 + (i % 40)}`);
  const path = join(dir, `activities-${round}.csv`);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return { path, sha256: createHash('sha256').update(readFileSync(path)).digest('hex'), tag };
}

interface Check {
  byChecksum: number;
  byContent: number;
}

/** Integrity, all-or-none, and the audit chain, right after a kill. */
async function checkAfterKill(db: string, file: { sha256: string; tag: string }, what: string): Promise<Check> {
  if (!db.startsWith('postgres')) {
    const raw = new Database(db);
    try {
      assert.equal(raw.pragma('integrity_check', { simple: true }), 'ok', `${what}: integrity_check`);
    } finally {
      raw.close();
    }
  }
  const before = process.env.JICENG_KEY_FILE;
  process.env.JICENG_KEY_FILE = keyFile;
  const store = openStore(db);
  process.env.JICENG_KEY_FILE = before;
  try {
    const k = store.db as unknown as Kysely<any>;
    const byChecksum = Number(
      (await k.selectFrom('lg_activities as r').innerJoin('ledger_imports as i', 'i.id', 'r.import_id').where('i.file_sha256', '=', file.sha256).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n,
    );
    const byContent = Number((await k.selectFrom('lg_activities').where('name', 'like', `${file.tag}%`).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const imports = await k.selectFrom('ledger_imports').select(['rows', 'inserted']).where('file_sha256', '=', file.sha256).execute();
    assert.equal(byChecksum, byContent, `${what}: every record of the file belongs to its import`);
    assert.ok(byContent === 0 || byContent === ROWS, `${what}: all rows or none, found ${byContent}`);
    assert.equal(imports.length, byContent ? 1 : 0, `${what}: the import is recorded exactly when its rows are there`);
    if (byContent) assert.equal(Number(imports[0]!.inserted), ROWS);
    const audited = Number((await sql<{ n: number }>`select count(*) as n from audit_log where action = 'import' and detail like ${`%${file.sha256}%`}`.execute(k)).rows[0]!.n);
    assert.equal(audited, byContent ? 1 : 0, `${what}: the import is audited exactly when it committed`);
    const v = await verifyAuditLog(store);
    assert.equal(v.broken, null, `${what}: audit chain ${JSON.stringify(v.broken)}`);
    return { byChecksum, byContent };
  } finally {
    await store.close();
  }
}

/** When the child first writes to stderr (the import's progress line), as Date.now(). */
function firstOutput(child: ReturnType<typeof spawn>): Promise<number> {
  return new Promise((resolve) => {
    child.stderr!.once('data', () => resolve(Date.now()));
    child.once('close', () => resolve(Date.now()));
  });
}

function sleep(ms: number) {
  return new Promise((r) => setTimeout(r, ms));
}

for (const dialect of dialects()) {
  describe(`crash safety on ${dialect}`, () => {
    test(`imports killed with SIGKILL at random moments leave all rows or none, an intact file and audit chain`, { timeout: 240_000 }, async () => {
      const db = await freshDbUrl(dialect);
      recordDatabase(db, keyFile);
      assert.equal(jicengSync(['demo', '--trees-only', '--db', db], env).code, 0);
      const random = prng(SEED + (dialect === 'postgres' ? 1 : 0));
      const kills = dialect === 'sqlite' ? KILLS_SQLITE : 1;
      const snapshots: Array<{ file: string; what: string }> = [];
      let round = 0;

      // Calibration: one complete CLI import gives the time a kill may fall into, from its first
      // progress line (the first batch of rows checked and inserted) to its end.
      const first = ledgerFile(round++);
      const calibration = spawn(process.execPath, ['bin/jiceng.mjs', 'import', 'activities', first.path, '--db', db], { env: { ...process.env, ...env } });
      const t0 = Date.now();
      const started = firstOutput(calibration);
      const full = await collect(calibration);
      const fullMs = Date.now() - t0;
      const importMs = Date.now() - (await started);
      assert.equal(full.code, 0, full.err);
      assert.equal((await checkAfterKill(db, first, 'complete import')).byContent, ROWS);

      const outcomes = { none: 0, all: 0 };
      for (let k = 0; k < kills; k++) {
        const file = ledgerFile(round++);
        const viaHttp = dialect === 'sqlite' && k >= kills - HTTP_KILLS;
        let what: string;
        if (!viaHttp) {
          // From the first progress line: reading and checking rows, inserting batches, commit, exit.
          const delay = Math.round(importMs * 1.1 * random());
          what = `kill ${k + 1} (jiceng import, ${delay} ms after its first batch)`;
          const child = spawn(process.execPath, ['bin/jiceng.mjs', 'import', 'activities', file.path, '--db', db], { env: { ...process.env, ...env } });
          const started = firstOutput(child);
          const done = collect(child);
          await started;
          await sleep(delay);
          child.kill('SIGKILL');
          await done;
        } else {
          const log = newLogFile('crash-serve');
          const server = await startServe(db, { ...env, ...(log ? { JICENG_LOG_FILE: log } : {}) });
          const c = new Client(server.base);
          assert.equal((await c.login('clerk', 'Demo@2026jc')).status, 200);
          const form = new FormData();
          form.append('file', new Blob([readFileSync(file.path)], { type: 'text/csv' }), 'activities.csv');
          const upload = c.request('POST', '/api/imports/activities', form).catch((e: Error) => e);
          // From the request: upload, reading and checking rows, inserting, commit, the answer.
          const delay = Math.round((importMs + 300) * 1.1 * random());
          what = `kill ${k + 1} (jiceng serve, POST /api/imports, ${delay} ms)`;
          await sleep(delay);
          server.child.kill('SIGKILL');
          await server.output;
          await upload;
        }
        const r = await checkAfterKill(db, file, what);
        if (r.byContent) outcomes.all++;
        else outcomes.none++;
        if (dialect === 'sqlite') {
          if (k % 7 === 6 || k === kills - 1) {
            const snap = join(dir, `after-kill-${k + 1}.db`);
            const src = new Database(db);
            await src.backup(snap);
            src.close();
            copyFileSync(keyFile, `${snap}.key`);
            recordDatabase(snap, `${snap}.key`);
            snapshots.push({ file: snap, what });
          }
        } else {
          const v = await jicengAsync(['audit', 'verify', '--db', db], env);
          assert.equal(v.code, 0, `${what}: jiceng audit verify: ${v.err}`);
        }
      }
      // The real `jiceng audit verify` on the copies, beside a complete re-import of a file whose
      // import was killed (or, had that one committed, its refusal as already imported) and the
      // real verify of the live database after it.
      const reimport = (async () => {
        const again = await jicengAsync(['import', 'activities', join(dir, 'activities-1.csv'), '--db', db], env);
        assert.ok(again.code === 0 || /已于.*导入过/.test(again.err), again.err);
        const verify = await jicengAsync(['audit', 'verify', '--db', db], env);
        assert.equal(verify.code, 0, verify.err);
      })();
      for (const s of snapshots) {
        const v = await jicengAsync(['audit', 'verify', '--db', s.file], { JICENG_KEY_FILE: `${s.file}.key` });
        assert.equal(v.code, 0, `${s.what}: jiceng audit verify: ${v.err}`);
      }
      await reimport;
      console.log(`# ${dialect}: ${kills} kills, ${outcomes.none} left nothing, ${outcomes.all} left the whole file; full import ${fullMs} ms, of which ${importMs} ms from the first batch`);
    });
  });
}
