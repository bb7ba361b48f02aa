/**
 * Bench harness: each scenario is measured against a baseline measured in the same run (the
 * database's own speed on the same work), as medians of repeated runs after a warm-up, so the
 * ratio means something on a shared 2-core machine where absolute times are noise.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import autocannon from 'autocannon';

export interface Result {
  scenario: string;
  /** What we measured, for the table (e.g. "412.0 ms" or "850 req/s, p99 31 ms"). */
  ours: string;
  baseline: string;
  /** ours ÷ baseline (time), or ours ÷ baseline (throughput) where the budget says so; null when there is no baseline. */
  ratio: number | null;
  budget: string;
  pass: boolean;
  /** The raw numbers behind the cells. */
  numbers: Record<string, number>;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

export async function time(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

/** Medians of `runs` interleaved runs of both sides after one warm-up of each. */
export async function timed(ours: () => Promise<unknown>, baseline: () => Promise<unknown>, runs = 7, warmup = true): Promise<{ ours: number; baseline: number }> {
  if (warmup) {
    await ours();
    await baseline();
  }
  const o: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < runs; i++) {
    // Interleaved, so a noisy moment hits both sides alike.
    o.push(await time(ours));
    b.push(await time(baseline));
  }
  return { ours: median(o), baseline: median(b) };
}

export interface LoadResult {
  rps: number;
  p99: number;
  errors: number;
}

/** `connections` clients hammering one URL for `seconds` (autocannon), after a 1-second warm-up. */
export async function load(url: string, headers: Record<string, string>, connections: number, seconds: number): Promise<LoadResult> {
  await autocannon({ url, headers, connections, duration: 1 });
  const r = await autocannon({ url, headers, connections, duration: seconds });
  return { rps: r.requests.average, p99: r.latency.p99, errors: r.errors + r.non2xx + r.timeouts };
}

export const ms = (x: number) => `${x.toFixed(1)} ms`;

export function printTable(results: Result[], meta: Record<string, unknown>, out = 'bench-results/bench.json'): void {
  const rows = results.map((r) => [r.scenario, r.ours, r.baseline, r.ratio === null ? '—' : r.ratio.toFixed(2), r.budget, r.pass ? 'PASS' : 'FAIL']);
  const head = ['scenario', 'ours', 'baseline (same run)', 'ratio', 'budget', 'result'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(line(head));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
  mkdirSync('bench-results', { recursive: true });
  writeFileSync(out, `${JSON.stringify({ ...meta, results }, null, 2)}\n`);
  console.log(`\n(${out})`);
}

/** Resident memory of a process, in MB (Linux). */
export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}
