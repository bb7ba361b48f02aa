#!/usr/bin/env node
// `npm test`: every *.test.ts under src/ and test/, through node's own test runner (Node 20's
// --test does not expand globs itself). Integration tests run on SQLite, and also on PostgreSQL
// when JICENG_TEST_PG names a server they may create databases on (.ci/run starts one).
//
// The run gets its own directory (JICENG_TEST_RUN_DIR): every server the tests start writes its
// JSON request log there, and every database they make is listed there, so the last file,
// test/zz-after-suite.test.ts, can scan the logs and audit tables for secrets and unmasked
// personal data and verify every database's audit chain. Kept when the run fails, removed otherwise.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function find(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) find(p, out);
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const AFTER_SUITE = join('test', 'zz-after-suite.test.ts');
const only = process.argv.slice(2);
let files = only.length ? only : [...find('src'), ...find('test')].sort();
// The after-suite check runs last, whatever the sort says.
if (files.includes(AFTER_SUITE)) files = [...files.filter((f) => f !== AFTER_SUITE), AFTER_SUITE];
const runDir = process.env.JICENG_TEST_RUN_DIR || mkdtempSync(join(tmpdir(), 'jiceng-test-run-'));
console.log(`jiceng tests: ${files.length} files; databases: sqlite${process.env.JICENG_TEST_PG ? ' + postgres' : ''}; run directory ${runDir}`);
// One file at a time: the browser tests flaked under the load of a PostgreSQL suite beside them on 2 cores.
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...files], {
  stdio: 'inherit',
  env: { ...process.env, TZ: 'UTC', JICENG_CHECK_RESPONSES: '1', JICENG_TEST_RUN_DIR: runDir, JICENG_TEST_RUN_STARTED: new Date().toISOString() },
});
if (r.status === 0 && !process.env.JICENG_TEST_RUN_DIR) rmSync(runDir, { recursive: true, force: true });
else console.log(`logs and the list of test databases are kept in ${runDir}`);
process.exit(r.status ?? 1);
