/**
 * Bench harness: each scenario is measured against a baseline measured in the same run (the
 * database's own speed on the same work), as medians of repeated runs after a warm-up, so the
 * ratio means something on a shared 2-core machine where absolute times are noise.
 */
import { mkdirSync, writeFileSync } from 'node:fs';

export interface Scenario {
  name: string;
  /** What the budget says, for the table. */
  budget: string;
  runs?: number;
  ours(): Promise<unknown>;
  baseline(): Promise<unknown>;
  /** Pass/fail from the medians (ms). */
  judge(oursMs: number, baselineMs: number): boolean;
}

export interface Result {
  scenario: string;
  oursMs: number;
  baselineMs: number;
  ratio: number;
  budget: string;
  pass: boolean;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

export async function runScenario(s: Scenario): Promise<Result> {
  const runs = s.runs ?? 7;
  // Warm-up: caches, prepared statements, JIT.
  await s.ours();
  await s.baseline();
  const ours: number[] = [];
  const base: number[] = [];
  for (let i = 0; i < runs; i++) {
    // Interleaved, so a noisy moment hits both sides alike.
    ours.push(await time(s.ours));
    base.push(await time(s.baseline));
  }
  const o = median(ours);
  const b = median(base);
  return { scenario: s.name, oursMs: o, baselineMs: b, ratio: o / b, budget: s.budget, pass: s.judge(o, b) };
}

export function printTable(results: Result[], meta: Record<string, unknown>, out = 'bench-results/bench.json'): void {
  const rows = results.map((r) => [r.scenario, `${r.oursMs.toFixed(1)} ms`, `${r.baselineMs.toFixed(1)} ms`, r.ratio.toFixed(2), r.budget, r.pass ? 'PASS' : 'FAIL']);
  const head = ['scenario', 'ours', 'baseline', 'ratio', 'budget', 'result'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(line(head));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
  mkdirSync('bench-results', { recursive: true });
  writeFileSync(out, `${JSON.stringify({ ...meta, results }, null, 2)}\n`);
  console.log(`\n(${out})`);
}
