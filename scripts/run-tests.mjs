#!/usr/bin/env node
// `npm test`: every *.test.ts under src/ and test/, through node's own test runner (Node 20's
// --test does not expand globs itself). Integration tests run on SQLite, and also on PostgreSQL
// when JICENG_TEST_PG names a server they may create databases on (.ci/run starts one).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function find(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) find(p, out);
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const only = process.argv.slice(2);
const files = only.length ? only : [...find('src'), ...find('test')].sort();
console.log(`jiceng tests: ${files.length} files; databases: sqlite${process.env.JICENG_TEST_PG ? ' + postgres' : ''}`);
// One file at a time: the browser tests flaked under the load of a PostgreSQL suite beside them on 2 cores.
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...files], {
  stdio: 'inherit',
  env: { ...process.env, TZ: 'UTC' },
});
process.exit(r.status ?? 1);
