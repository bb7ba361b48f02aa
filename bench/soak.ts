/**
 * `npm run bench -- --soak [--minutes 30] [--db postgres://…] [--data FILE]` (dispatched by bench/run.ts)
 *
 * A bounded mixed load on loopback for a number of minutes, to see memory and latency over time:
 *  - a street-scale data set (generateData 'street') in a fresh SQLite temp file, a fresh
 *    PostgreSQL database when --db is given, or a copy of the SQLite file --data (made now and kept
 *    there when the file does not exist yet);
 *  - an admin user and an API token; `jiceng serve` as its own process;
 *  - CLIENTS closed-loop clients, each picking a request kind by weight (record lists with filters,
 *    sort and pages, a text search, single records, metric queries, the dashboard, the annual report
 *    JSON, compliance, record creates and edits with `version`), plus a small CSV import every minute;
 *  - every 30 s one line: elapsed, requests, errors, p50/p99 per kind over the window, server RSS;
 *  - at the end a summary table, `jiceng audit verify` on the database, and bench-results/soak.json
 *    with a verdict: no errors, RSS growth over the last half ≤ 10 %, p99 not trending up.
 * The p99 trend is the Theil–Sen slope (median of pairwise slopes) of the p99 of every 10-s slice
 * after warm-up: robust to the odd slow slice that other work on a shared machine causes, while a
 * steady climb still shows. The 1-minute load average is kept per 30-s line to explain such slices.
 * Everything it starts (the server, the temp database) is stopped or removed before it returns.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { generateData, generatedStreet, GENERATED_YEAR } from '../src/demo/generate.ts';
import { createApiToken, createUser } from '../src/store/auth.ts';
import { openStore } from '../src/store/db.ts';
import { migrate } from '../src/store/migrate.ts';
import { WHOLE_DATABASE } from '../src/store/scope.ts';
import { SYSTEM_ACTOR, withWrite } from '../src/store/unit-of-work.ts';
import { median, percentile, rssMb, time } from './harness.ts';

export interface SoakOptions {
  minutes: number;
  /** PostgreSQL URL of an account that may create databases; null for SQLite. */
  db: string | null;
  /** A SQLite data set to copy (made now and kept there when the file does not exist). */
  data: string | null;
}

/** Concurrent closed-loop clients, and the pause each takes between requests (a person, not a loop). */
const CLIENTS = 4;
const THINK_MS = 50;
const REPORT_EVERY_MS = 30_000;
const RSS_EVERY_MS = 5_000;
const IMPORT_EVERY_MS = 60_000;
const IMPORT_ROWS = 20;
const REQUEST_TIMEOUT_MS = 30_000;
/** Verdict thresholds. */
const MAX_RSS_GROWTH = 0.1;
/** The p99 may not climb by more than this fraction of its median over the run (Theil–Sen fit). */
const MAX_P99_TREND = 0.5;
const TREND_SLICE_MS = 10_000;

const KINDS = ['list', 'search', 'record', 'metric', 'dashboard', 'report', 'compliance', 'create', 'edit', 'import'] as const;
type Kind = (typeof KINDS)[number];
/** Relative weights of what a client does next (imports run on their own timer). */
const WEIGHTS: Array<[Exclude<Kind, 'import'>, number]> = [
  ['list', 28],
  ['search', 8],
  ['record', 20],
  ['metric', 18],
  ['dashboard', 4],
  ['report', 2],
  ['compliance', 2],
  ['create', 10],
  ['edit', 8],
];

const Y = GENERATED_YEAR;
const STREET = generatedStreet(1).code;
const COMMUNITIES = Array.from({ length: 8 }, (_, i) => `${STREET}-S${String(i + 1).padStart(2, '0')}`);
const OBJECT_TYPES = ['商户', '居民户', '人员密集场所', '企业', '其他'];
const ACTIVITY_TYPES = ['宣传教育', '志愿服务', '主题活动', '文体活动'];

function log(m: string): void {
  console.log(`[soak] ${m}`);
}

/** A small deterministic generator, so two runs ask the same mix of questions. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

const clock = (ms: number) => {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};
const f0 = (x: number | null) => (x === null || !Number.isFinite(x) ? '—' : x.toFixed(0));

interface Sample {
  at: number;
  kind: Kind;
  ms: number;
  ok: boolean;
}

export async function soak(opts: SoakOptions): Promise<void> {
  const minutes = Number.isFinite(opts.minutes) && opts.minutes > 0 ? opts.minutes : 30;
  const durationMs = minutes * 60_000;
  const dir = mkdtempSync(join(tmpdir(), 'jiceng-soak-'));
  // The key file lives with the temp database, never in ./data.
  const keyFile = join(dir, 'soak.key');
  process.env.JICENG_KEY_FILE = keyFile;
  let server: ChildProcess | null = null;
  const timers: Array<ReturnType<typeof setTimeout>> = [];
  let pgDatabase: string | null = null;
  const stopServer = () => {
    if (server && server.exitCode === null && server.signalCode === null) server.kill('SIGTERM');
  };
  const onSignal = () => {
    stopServer();
    rmSync(dir, { recursive: true, force: true });
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    // ------------------------------------------------------------ the data set
    let url: string;
    let keyKnown = true;
    if (opts.db) {
      pgDatabase = `soak_${Date.now()}`;
      const c = new pg.Client({ connectionString: opts.db });
      await c.connect();
      await c.query(`create database ${pgDatabase}`);
      await c.end();
      const u = new URL(opts.db);
      u.pathname = `/${pgDatabase}`;
      url = u.toString();
    } else {
      url = join(dir, 'soak.db');
    }
    if (!opts.db && opts.data && existsSync(opts.data)) {
      copyFileSync(opts.data, url);
      if (existsSync(`${opts.data}.key`)) copyFileSync(`${opts.data}.key`, keyFile);
      else keyKnown = false; // records and audit entries were written under a key we do not have
      log(`data: copy of ${opts.data}${keyKnown ? '' : ' (no key file beside it: audit verify is reported, not judged)'}`);
    } else {
      const store = openStore(url);
      await migrate(store);
      const t = await time(() => generateData(store, 'street', log));
      await store.close();
      log(`generated the street in ${(t / 1000).toFixed(1)} s`);
      if (!opts.db && opts.data) {
        copyFileSync(url, opts.data);
        copyFileSync(keyFile, `${opts.data}.key`);
        log(`data kept as ${opts.data} (+ .key)`);
      }
    }

    // ------------------------------------------------------------ user, token, record ids
    const store = openStore(url);
    await migrate(store);
    const user = await store.db.selectFrom('users').select('id').where('username', '=', 'soak').executeTakeFirst();
    if (!user) await withWrite(store, SYSTEM_ACTOR, (w) => createUser(w, WHOLE_DATABASE, { username: 'soak', role: 'admin', areaCode: null, password: 'Load#2026xq' }));
    const token = await createApiToken(store, SYSTEM_ACTOR, 'soak', 'soak');
    const anyDb = store.db as unknown as Kysely<any>;
    const inspectionIds = ((await anyDb.selectFrom('lg_inspections').select('id').where('deleted_at', 'is', null).orderBy('id').execute()) as Array<{ id: number }>).map((r) => Number(r.id));
    const inspectionCount = inspectionIds.length;
    await store.close();
    if (!inspectionCount) throw new Error('the data set has no inspections');
    log(`${inspectionCount.toLocaleString('en')} inspections; ${CLIENTS} clients for ${minutes} min`);

    // ------------------------------------------------------------ the server
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const stderrTail: string[] = [];
    server = spawn(process.execPath, ['bin/jiceng.mjs', 'serve', '--db', url, '--port', String(port)], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, JICENG_KEY_FILE: keyFile, JICENG_LOG_LEVEL: 'warn', JICENG_ADMIN_PASSWORD: '' },
    });
    server.stderr!.on('data', (d: Buffer) => {
      stderrTail.push(String(d));
      if (stderrTail.length > 50) stderrTail.shift();
    });
    for (;;) {
      if (server.exitCode !== null) throw new Error(`jiceng serve exited with ${server.exitCode}: ${stderrTail.join('')}`);
      try {
        if ((await fetch(`${base}/api/health`)).ok) break;
      } catch {
        /* not listening yet */
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    const pid = server.pid!;
    const auth = { authorization: `Bearer ${token}` };

    // ------------------------------------------------------------ requests
    const samples: Sample[] = [];
    const errorsSeen: string[] = [];
    const started = performance.now();
    const elapsed = () => performance.now() - started;

    async function call(kind: Kind, method: string, path: string, body?: unknown): Promise<any> {
      const t0 = performance.now();
      let ok = false;
      let answer: any = null;
      try {
        const init: RequestInit = { method, headers: { ...auth }, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) };
        if (body instanceof FormData) init.body = body;
        else if (body !== undefined) {
          init.body = JSON.stringify(body);
          (init.headers as Record<string, string>)['content-type'] = 'application/json';
        }
        const r = await fetch(base + path, init);
        const text = await r.text();
        ok = r.status === 200;
        if (ok) answer = text && r.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
        else if (errorsSeen.length < 20) errorsSeen.push(`${clock(elapsed())} ${kind} ${method} ${path} → ${r.status} ${text.slice(0, 200)}`);
      } catch (e) {
        if (errorsSeen.length < 20) errorsSeen.push(`${clock(elapsed())} ${kind} ${method} ${path} → ${(e as Error).message}`);
      }
      samples.push({ at: t0 - started, kind, ms: performance.now() - t0, ok });
      return answer;
    }

    function pick<T>(r: () => number, xs: readonly T[]): T {
      return xs[Math.floor(r() * xs.length)]!;
    }
    const totalWeight = WEIGHTS.reduce((s, [, w]) => s + w, 0);

    async function client(n: number): Promise<void> {
      const r = rng(1000 + n);
      // Records this client created, with the version it last saw (edits never collide across clients).
      const mine: Array<{ id: number; version: number }> = [];
      let created = 0;
      while (elapsed() < durationMs) {
        let x = r() * totalWeight;
        let kind: Exclude<Kind, 'import'> = 'list';
        for (const [k, w] of WEIGHTS) {
          if ((x -= w) < 0) {
            kind = k;
            break;
          }
        }
        if (kind === 'edit' && !mine.length) kind = 'create';
        const month = 1 + Math.floor(r() * 12);
        const mm = String(month).padStart(2, '0');
        switch (kind) {
          case 'list': {
            // A clerk's list: a month or a half-year, street or community, sorted, a page, sometimes a filter.
            const area = r() < 0.5 ? STREET : pick(r, COMMUNITIES);
            const half = r() < 0.5;
            const from = half ? `${Y}-${month <= 6 ? '01' : '07'}-01` : `${Y}-${mm}-01`;
            const to = half ? `${Y}-${month <= 6 ? '06-30' : '12-31'}` : `${Y}-${mm}-28`;
            const sort = pick(r, ['-date', 'date', 'objectName', '-hazards']);
            const filter = r() < 0.3 ? `&f.objectType=${encodeURIComponent(pick(r, OBJECT_TYPES))}` : '';
            await call(kind, 'GET', `/api/ledgers/inspections/records?area=${area}&from=${from}&to=${to}&sort=${sort}&page=${1 + Math.floor(r() * 20)}&pageSize=50${filter}`);
            break;
          }
          case 'search':
            await call(kind, 'GET', `/api/ledgers/${pick(r, ['activities', 'inspections'])}/records?area=${pick(r, COMMUNITIES)}&q=${encodeURIComponent(pick(r, ['志愿', '燃气', '对象1', '讲堂', '专项']))}&pageSize=20`);
            break;
          case 'record':
            await call(kind, 'GET', `/api/ledgers/inspections/records/${pick(r, inspectionIds)}`);
            break;
          case 'metric': {
            const q = pick(r, [
              `ledger=inspections&measure=count&area=${pick(r, COMMUNITIES)}&from=${Y}-01-01&to=${Y}-12-31&groupBy=month`,
              `ledger=inspections&measure=sum:hazards&from=${Y}-01-01&to=${Y}-12-31&groupBy=${encodeURIComponent('area:社区')}`,
              `ledger=inspections&measure=count&area=${STREET}&from=${Y}-${mm}-01&to=${Y}-${mm}-28&f.objectType=${encodeURIComponent(pick(r, OBJECT_TYPES))}`,
              `ledger=activities&measure=count&area=${STREET}&from=${Y}-01-01&to=${Y}-12-31&groupBy=quarter`,
            ]);
            await call(kind, 'GET', `/api/metrics/query?${q}`);
            break;
          }
          case 'dashboard':
            await call(kind, 'GET', `/api/dashboard?area=${r() < 0.5 ? STREET : pick(r, COMMUNITIES)}&year=${Y}`);
            break;
          case 'report':
            await call(kind, 'GET', `/api/reports/annual?area=${STREET}&year=${Y}`);
            break;
          case 'compliance':
            await call(kind, 'GET', `/api/compliance?year=${Y}&asOf=${Y + 1}-01-31${r() < 0.5 ? `&area=${pick(r, COMMUNITIES)}` : ''}`);
            break;
          case 'create': {
            const rec = await call(kind, 'POST', `/api/ledgers/activities/records`, {
              date: `${Y}-${mm}-${String(1 + Math.floor(r() * 28)).padStart(2, '0')}`,
              type: pick(r, ACTIVITY_TYPES),
              name: `压力测试活动${n}-${++created}`,
              area: pick(r, COMMUNITIES),
              participants: 1 + Math.floor(r() * 60),
            });
            if (rec?.id) {
              mine.push({ id: Number(rec.id), version: Number(rec.version) });
              if (mine.length > 50) mine.shift();
            }
            break;
          }
          case 'edit': {
            const target = pick(r, mine);
            const rec = await call(kind, 'PATCH', `/api/ledgers/activities/records/${target.id}`, { participants: 1 + Math.floor(r() * 60), version: target.version });
            if (rec?.version) target.version = Number(rec.version);
            break;
          }
        }
        await new Promise((res) => setTimeout(res, THINK_MS));
      }
    }

    let imports = 0;
    async function importOnce(): Promise<void> {
      const k = ++imports;
      const lines = ['日期,活动类型,活动名称,区域编码,参与人数'];
      for (let i = 0; i < IMPORT_ROWS; i++) lines.push(`${Y}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')},主题活动,导入活动${k}-${i}-${Date.now()},${COMMUNITIES[i % COMMUNITIES.length]},${10 + i}`);
      const form = new FormData();
      form.append('file', new Blob([`${lines.join('\n')}\n`], { type: 'text/csv' }), `soak-${k}.csv`);
      const res = await call('import', 'POST', '/api/imports/activities', form);
      if (res && res.inserted !== IMPORT_ROWS && errorsSeen.length < 20) errorsSeen.push(`import ${k}: inserted ${res.inserted}, expected ${IMPORT_ROWS}`);
    }

    // ------------------------------------------------------------ run, report every 30 s
    const rss: Array<{ at: number; mb: number }> = [{ at: 0, mb: rssMb(pid) }];
    const windows: Array<Record<string, unknown>> = [];
    let lastReport = 0;
    const report = () => {
      const now = elapsed();
      const inWindow = samples.filter((s) => s.at >= lastReport && s.at < now);
      const errors = samples.filter((s) => !s.ok).length;
      const perKind: Record<string, { n: number; p50: number; p99: number }> = {};
      for (const k of KINDS) {
        const xs = inWindow.filter((s) => s.kind === k).map((s) => s.ms);
        if (xs.length) perKind[k] = { n: xs.length, p50: percentile(xs, 50), p99: percentile(xs, 99) };
      }
      const mb = rssMb(pid);
      const all = inWindow.map((s) => s.ms);
      const load1 = loadavg()[0]!;
      windows.push({ elapsedS: Math.round(now / 1000), requests: samples.length, windowRequests: inWindow.length, errors, rssMb: mb, load1, p99AllMs: all.length ? percentile(all, 99) : null, perKind });
      const kinds = Object.entries(perKind)
        .map(([k, v]) => `${k} ${f0(v.p50)}/${f0(v.p99)}`)
        .join(' · ');
      log(`${clock(now)}  requests ${samples.length} (+${inWindow.length})  errors ${errors}  RSS ${mb.toFixed(0)} MB  load ${load1.toFixed(1)}  p50/p99 ms: ${kinds}`);
      lastReport = now;
    };
    const rssTimer: ReturnType<typeof setInterval> = setInterval(() => {
      try {
        rss.push({ at: elapsed(), mb: rssMb(pid) });
      } catch {
        /* the server is gone; the errors say so */
      }
    }, RSS_EVERY_MS);
    const reportTimer = setInterval(report, REPORT_EVERY_MS);
    timers.push(rssTimer, reportTimer);
    const pendingImports: Array<Promise<void>> = [];
    const firstImport = setTimeout(() => pendingImports.push(importOnce()), 10_000);
    const importTimer = setInterval(() => {
      if (elapsed() < durationMs - 5_000) pendingImports.push(importOnce());
    }, IMPORT_EVERY_MS);
    timers.push(firstImport, importTimer);

    await Promise.all(Array.from({ length: CLIENTS }, (_, i) => client(i)));
    clearInterval(importTimer);
    clearTimeout(firstImport);
    await Promise.all(pendingImports);
    clearInterval(rssTimer);
    clearInterval(reportTimer);
    rss.push({ at: elapsed(), mb: rssMb(pid) });
    if (elapsed() - lastReport > 5_000) report();
    const totalMs = elapsed();

    stopServer();
    await new Promise<void>((res) => (server!.exitCode !== null || server!.signalCode !== null ? res() : server!.once('exit', () => res())));

    // ------------------------------------------------------------ the audit chain after all that
    const verify = spawnSync(process.execPath, ['bin/jiceng.mjs', 'audit', 'verify', '--db', url], { encoding: 'utf8', env: { ...process.env, JICENG_KEY_FILE: keyFile } });
    const auditOk = verify.status === 0;
    log(`jiceng audit verify: ${auditOk ? 'ok' : `FAILED (${verify.status})`} ${(verify.stdout + verify.stderr).trim().split('\n').slice(-1)[0] ?? ''}`);

    // ------------------------------------------------------------ summary and verdict
    const half = totalMs / 2;
    // Warm-up (the first 30 s, or the first tenth of a short run) is left out of the trend.
    const warm = Math.min(30_000, totalMs / 10);
    const rows: Array<Record<string, number | string | null>> = [];
    for (const k of KINDS) {
      const xs = samples.filter((s) => s.kind === k);
      if (!xs.length) continue;
      const ms = xs.map((s) => s.ms);
      const first = xs.filter((s) => s.at >= warm && s.at < half).map((s) => s.ms);
      const second = xs.filter((s) => s.at >= half).map((s) => s.ms);
      const row: Record<string, number | string | null> = {
        kind: k,
        requests: xs.length,
        errors: xs.filter((s) => !s.ok).length,
        p50: percentile(ms, 50),
        p99: percentile(ms, 99),
        max: Math.max(...ms),
        p99FirstHalf: first.length ? percentile(first, 99) : null,
        p99SecondHalf: second.length ? percentile(second, 99) : null,
      };
      rows.push(row);
    }
    const allFirst = samples.filter((s) => s.at >= warm && s.at < half).map((s) => s.ms);
    const allSecond = samples.filter((s) => s.at >= half).map((s) => s.ms);
    const p99All = { firstHalf: allFirst.length ? percentile(allFirst, 99) : NaN, secondHalf: allSecond.length ? percentile(allSecond, 99) : NaN };
    // The trend: p99 of all requests per 10-s slice after warm-up, Theil–Sen slope, as the climb
    // over the run relative to the median slice.
    const slices: Array<{ atS: number; p99: number; n: number }> = [];
    for (let t = warm; t + TREND_SLICE_MS <= totalMs + 1; t += TREND_SLICE_MS) {
      const xs = samples.filter((s) => s.at >= t && s.at < t + TREND_SLICE_MS).map((s) => s.ms);
      if (xs.length >= 20) slices.push({ atS: (t + TREND_SLICE_MS / 2) / 1000, p99: percentile(xs, 99), n: xs.length });
    }
    const slopes: number[] = [];
    for (let i = 0; i < slices.length; i++) for (let j = i + 1; j < slices.length; j++) slopes.push((slices[j]!.p99 - slices[i]!.p99) / (slices[j]!.atS - slices[i]!.atS));
    const slopeMsPerMin = slopes.length ? median(slopes) * 60 : 0;
    const sliceMedian = slices.length ? median(slices.map((s) => s.p99)) : NaN;
    const spanMin = slices.length > 1 ? (slices.at(-1)!.atS - slices[0]!.atS) / 60 : 0;
    const p99Climb = slices.length >= 3 ? (slopeMsPerMin * spanMin) / sliceMedian : 0;

    // RSS at the half-way point (median of the samples within 15 s of it) against the end (median of the last 15 s).
    const near = rss.filter((s) => Math.abs(s.at - half) <= 15_000).map((s) => s.mb);
    const tail = rss.filter((s) => s.at >= totalMs - 15_000).map((s) => s.mb);
    const rssMid = near.length ? median(near) : rss[Math.floor(rss.length / 2)]!.mb;
    const rssEnd = tail.length ? median(tail) : rss.at(-1)!.mb;
    const rssGrowth = (rssEnd - rssMid) / rssMid;
    const rssMax = Math.max(...rss.map((s) => s.mb));

    const errors = samples.filter((s) => !s.ok).length;
    const checks = {
      noErrors: { pass: errors === 0, detail: `${errors} errors in ${samples.length} requests` },
      rssBounded: { pass: rssGrowth <= MAX_RSS_GROWTH, detail: `RSS ${rssMid.toFixed(0)} MB at half-time → ${rssEnd.toFixed(0)} MB at the end (${(rssGrowth * 100).toFixed(1)} %, limit ${MAX_RSS_GROWTH * 100} %)` },
      p99NotTrendingUp: {
        pass: p99Climb <= MAX_P99_TREND,
        detail: `p99 of ${slices.length} 10-s slices: median ${f0(sliceMedian)} ms, Theil–Sen slope ${slopeMsPerMin >= 0 ? '+' : ''}${slopeMsPerMin.toFixed(1)} ms/min, climb over the run ${(p99Climb * 100).toFixed(0)} % (limit ${MAX_P99_TREND * 100} %); first half ${f0(p99All.firstHalf)} ms → second half ${f0(p99All.secondHalf)} ms`,
      },
      auditVerifies: { pass: auditOk || !keyKnown, detail: auditOk ? 'jiceng audit verify: ok' : keyKnown ? 'jiceng audit verify failed' : 'not judged (data copied without its key file)' },
    };
    const pass = Object.values(checks).every((c) => c.pass);

    const head = ['kind', 'requests', 'errors', 'p50 ms', 'p99 ms', 'max ms', 'p99 1st half', 'p99 2nd half'];
    const cells = rows.map((r) => [String(r.kind), String(r.requests), String(r.errors), f0(r.p50 as number), f0(r.p99 as number), f0(r.max as number), f0(r.p99FirstHalf as number | null), f0(r.p99SecondHalf as number | null)]);
    const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
    const line = (cs: string[]) => `| ${cs.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
    console.log('');
    console.log(line(head));
    console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
    for (const c of cells) console.log(line(c));
    console.log('');
    console.log(`requests ${samples.length} in ${clock(totalMs)} (${(samples.length / (totalMs / 1000)).toFixed(1)} req/s), imports ${imports}; RSS start ${rss[0]!.mb.toFixed(0)} MB, max ${rssMax.toFixed(0)} MB, end ${rssEnd.toFixed(0)} MB`);
    for (const [name, c] of Object.entries(checks)) console.log(`${c.pass ? 'PASS' : 'FAIL'}  ${name}: ${c.detail}`);
    if (errorsSeen.length) {
      console.log('first errors:');
      for (const e of errorsSeen) console.log(`  ${e}`);
    }
    if (stderrTail.length && !pass) console.log(`server stderr (tail):\n${stderrTail.join('').slice(-2000)}`);
    console.log(`verdict: ${pass ? 'PASS' : 'FAIL'}`);

    mkdirSync('bench-results', { recursive: true });
    const out = 'bench-results/soak.json';
    writeFileSync(
      out,
      `${JSON.stringify(
        {
          minutes,
          db: opts.db ? 'postgres' : 'sqlite',
          clients: CLIENTS,
          thinkMs: THINK_MS,
          inspections: inspectionCount,
          machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
          node: process.version,
          at: new Date().toISOString(),
          durationS: Math.round(totalMs / 1000),
          requests: samples.length,
          imports,
          errors,
          firstErrors: errorsSeen,
          kinds: rows,
          p99All,
          p99Trend: { sliceSeconds: TREND_SLICE_MS / 1000, slopeMsPerMin, sliceMedianMs: sliceMedian, climb: p99Climb, slices },
          rss: { startMb: rss[0]!.mb, midMb: rssMid, endMb: rssEnd, maxMb: rssMax, growth: rssGrowth, samples: rss.map((s) => ({ atS: Math.round(s.at / 1000), mb: Math.round(s.mb * 10) / 10 })) },
          windows,
          checks,
          verdict: pass ? 'PASS' : 'FAIL',
        },
        null,
        2,
      )}\n`,
    );
    console.log(`(${out})`);
  } finally {
    for (const t of timers) clearTimeout(t);
    stopServer();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (pgDatabase && opts.db) {
      try {
        const c = new pg.Client({ connectionString: opts.db });
        await c.connect();
        await c.query(`drop database if exists ${pgDatabase} with (force)`);
        await c.end();
      } catch (e) {
        log(`could not drop ${pgDatabase}: ${(e as Error).message}`);
      }
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
