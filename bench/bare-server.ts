/**
 * The baseline server of the load scenarios: a bare Fastify app (no sign-in, no scope, no
 * validation) whose route `/q/:name` runs statements captured from Jiceng's own requests directly
 * on the driver — better-sqlite3 on the main thread, or a pg pool — and answers their rows as JSON.
 * Started by bench/run.ts as its own process: `node --import tsx bench/bare-server.ts DB PORT FILE`.
 */
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import Fastify from 'fastify';
import pg from 'pg';

const [url, port, file] = process.argv.slice(2) as [string, string, string];
const statements = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Array<{ sql: string; params: unknown[] }>>;

let run: (sql: string, params: unknown[]) => Promise<unknown[]>;
if (/^postgres(ql)?:/.test(url)) {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  run = async (sql, params) => (await pool.query(sql, params)).rows;
} else {
  const db = new Database(url, { readonly: true });
  const prepared = new Map<string, Database.Statement>();
  run = async (sql, params) => {
    let s = prepared.get(sql);
    if (!s) prepared.set(sql, (s = db.prepare(sql)));
    return s.all(...params);
  };
}

const app = Fastify({ logger: false });
app.get<{ Params: { name: string } }>('/q/:name', async (request, reply) => {
  const list = statements[request.params.name];
  if (!list) return reply.code(404).send({ error: 'no such statement set' });
  const out: unknown[] = [];
  for (const s of list) out.push(await run(s.sql, s.params));
  return out;
});
app.get('/health', async () => ({ ok: true }));
await app.listen({ host: '127.0.0.1', port: Number(port) });
console.log('ready');
