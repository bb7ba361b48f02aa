/**
 * The real `jiceng` command as a child process (bin/jiceng.mjs), for tests that must go through
 * the CLI a user runs: synchronous for short commands, a handle for servers and commands a test
 * interrupts. Also: valid 公民身份号码 and mobile numbers for personal-data fixtures.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { idCheckChar } from '../../src/domain/id-number.ts';

export interface CliResult {
  code: number | null;
  out: string;
  err: string;
}

export function jicengSync(args: string[], env: Record<string, string> = {}): CliResult {
  const r = spawnSync(process.execPath, ['bin/jiceng.mjs', ...args], { encoding: 'utf8', env: { ...process.env, JICENG_ADMIN_PASSWORD: '', ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

export function jicengAsync(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const child = spawn(process.execPath, ['bin/jiceng.mjs', ...args], { env: { ...process.env, JICENG_ADMIN_PASSWORD: '', ...env } });
  return collect(child);
}

export function collect(child: ChildProcess): Promise<CliResult & { signal: NodeJS.Signals | null }> {
  let out = '';
  let err = '';
  child.stdout?.on('data', (d) => (out += String(d)));
  child.stderr?.on('data', (d) => (err += String(d)));
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, out, err })));
}

/** A running `jiceng serve` on a free port; resolves once it listens. */
export async function startServe(db: string, env: Record<string, string> = {}): Promise<{ child: ChildProcess; base: string; output: Promise<CliResult & { signal: NodeJS.Signals | null }> }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['bin/jiceng.mjs', 'serve', '--port', String(port), '--db', db], { env: { ...process.env, JICENG_ADMIN_PASSWORD: '', ...env } });
  const output = collect(child);
  const base = await new Promise<string>((resolve, reject) => {
    let seen = '';
    const onData = (d: Buffer) => {
      seen += String(d);
      const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(seen);
      if (m) {
        child.stdout?.off('data', onData);
        resolve(m[1]!);
      }
    };
    child.stdout?.on('data', onData);
    child.on('close', (code) => reject(new Error(`jiceng serve ended (${code}) before listening: ${seen}`)));
  });
  return { child, base, output };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** The n-th valid 18-digit 公民身份号码 of a test series (GB 11643 check character). */
export function testIdNumber(n: number, region = '110101'): string {
  const birth = `19${String(50 + (n % 40)).padStart(2, '0')}0${1 + (n % 9)}${String(10 + (n % 18)).padStart(2, '0')}`;
  const first17 = `${region}${birth}${String(n % 1000).padStart(3, '0')}`;
  return first17 + idCheckChar(first17);
}

/** The n-th 11-digit mobile number of a test series. */
export function testPhone(n: number): string {
  return `139${String(n).padStart(8, '0')}`;
}
