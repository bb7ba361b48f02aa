/**
 * `npm run bench [-- --scale street|district] [--db postgres://…]`: builds a data set of the
 * requested scale in a fresh database through the import path, then measures each scenario
 * against its same-run baseline. Today: 组织生活 compliance over every organization × 12 months.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { ledgerByKey } from '../src/domain/ledgers/catalogue.ts';
import type { Table, TableRow } from '../src/io/table-reader.ts';
import { buildServer } from '../src/server/app.ts';
import { createUser } from '../src/store/auth.ts';
import { openStore, type Store } from '../src/store/db.ts';
import { importLedger } from '../src/store/ledger-import.ts';
import { migrate } from '../src/store/migrate.ts';
import { WHOLE_DATABASE } from '../src/store/scope.ts';
import { createArea, createOrg } from '../src/store/trees.repository.ts';
import { SYSTEM_ACTOR, withWrite } from '../src/store/unit-of-work.ts';
import { printTable, runScenario, type Result } from './harness.ts';

const { values } = parseArgs({ options: { scale: { type: 'string', default: 'street' }, db: { type: 'string' } }, allowPositionals: true });
const SCALES: Record<string, { branches: number }> = { street: { branches: 120 }, district: { branches: 5000 } };
const scale = SCALES[values.scale!] ?? SCALES.street!;

async function freshDb(): Promise<string> {
  if (!values.db) return join(mkdtempSync(join(tmpdir(), 'jiceng-bench-')), 'bench.db');
  const name = `bench_${Date.now()}`;
  const c = new pg.Client({ connectionString: values.db });
  await c.connect();
  await c.query(`create database ${name}`);
  await c.end();
  const u = new URL(values.db);
  u.pathname = `/${name}`;
  return u.toString();
}

function tableOf(headers: string[], rows: Array<Array<string | number | null>>): Table {
  async function* it(): AsyncGenerator<TableRow> {
    let n = 1;
    for (const r of rows) yield { row: ++n, values: r };
  }
  return { headers, rows: it() };
}

/** Branches spread over communities (100 per community), each with a year of 三会一课. */
async function seed(store: Store, branches: number): Promise<void> {
  const communities = Math.ceil(branches / 100);
  await withWrite(store, SYSTEM_ACTOR, async (w) => {
    await createArea(w, WHOLE_DATABASE, { code: 'B', name: '测试街道', kind: '街道', parentCode: null });
    await createOrg(w, WHOLE_DATABASE, { code: 'B-DGW', name: '测试党工委', kind: '党工委', parentCode: null, areaCode: 'B' });
    for (let c = 1; c <= communities; c++) {
      await createArea(w, WHOLE_DATABASE, { code: `B-S${c}`, name: `社区${c}`, kind: '社区', parentCode: 'B' });
      await createOrg(w, WHOLE_DATABASE, { code: `B-S${c}-DW`, name: `社区${c}党委`, kind: '党委', parentCode: 'B-DGW', areaCode: `B-S${c}` });
    }
    for (let b = 1; b <= branches; b++) {
      const c = Math.ceil(b / 100);
      await createOrg(w, WHOLE_DATABASE, { code: `B-ZB${b}`, name: `第${b}党支部`, kind: '党支部', parentCode: `B-S${c}-DW`, areaCode: `B-S${c}` });
    }
    await createUser(w, WHOLE_DATABASE, { username: 'bench', role: 'admin', areaCode: null, password: 'Perf#2026xq' });
  });
  const rows: Array<Array<string | number | null>> = [];
  for (let b = 1; b <= branches; b++) {
    for (let m = 1; m <= 12; m++) {
      // Every 37th branch misses a month's 主题党日, so the evaluation has findings to write.
      if (!(b % 37 === 0 && m === 6)) rows.push([`2023-${String(m).padStart(2, '0')}-15`, `B-ZB${b}`, '主题党日', '主题党日', null, null]);
    }
    for (let q = 1; q <= 4; q++) {
      rows.push([`2023-${String(q * 3).padStart(2, '0')}-10`, `B-ZB${b}`, '支部党员大会', '党员大会', 20, 15]);
      rows.push([`2023-${String(q * 3).padStart(2, '0')}-11`, `B-ZB${b}`, '党课', '党课', null, null]);
    }
    rows.push(['2023-12-20', `B-ZB${b}`, '组织生活会', '组织生活会', null, null], ['2023-12-20', `B-ZB${b}`, '民主评议党员', '民主评议', null, null]);
  }
  const r = await importLedger(store, SYSTEM_ACTOR, WHOLE_DATABASE, ledgerByKey('meetings')!, tableOf(['日期', '党组织编码', '会议类型', '主题', '应到人数', '实到人数'], rows), {
    dryRun: false,
    fileName: 'bench-meetings',
    fileSha256: createHash('sha256').update(String(branches)).digest('hex'),
    fallbackAreaId: null,
  });
  if (!r.ok) throw new Error(JSON.stringify(r.errors.slice(0, 3)));
  console.log(`seeded ${branches} branches, ${r.inserted} meetings`);
}

const url = await freshDb();
const store = openStore(url);
await migrate(store);
const seedStart = performance.now();
await seed(store, scale.branches);
console.log(`seed took ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);
const app = await buildServer(store);
await app.listen({ host: '127.0.0.1', port: 0 });
const addr = app.server.address();
const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bench', password: 'Perf#2026xq' }) });
const cookie = /jiceng_sid=[^;]+/.exec(login.headers.get('set-cookie') ?? '')![0];

const results: Result[] = [];
results.push(
  await runScenario({
    name: `compliance, ${scale.branches} branches × 12 months`,
    budget: 'ratio ≤ 2; ≤ 1000 ms',
    async ours() {
      const r = await fetch(`${base}/api/compliance?year=2023&asOf=2024-01-31`, { headers: { cookie } });
      if (r.status !== 200) throw new Error(`compliance answered ${r.status}`);
      await r.json();
    },
    async baseline() {
      await sql`select org_ref, type, substr(date, 1, 7) as month, count(*) as n from lg_meetings where date between '2023-01-01' and '2023-12-31' and deleted_at is null group by org_ref, type, substr(date, 1, 7)`.execute(store.db);
    },
    judge: (o, b) => o / b <= 2 && o <= 1000,
  }),
);

printTable(results, { scale: values.scale, db: store.kind, branches: scale.branches, node: process.version, at: new Date().toISOString() });
await app.close();
await store.close();
process.exit(0);
