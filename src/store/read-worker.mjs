// A read-only SQLite connection in a worker thread (see read-pool.ts). Plain JavaScript so that it
// runs in a worker whatever TypeScript loader the main thread was started with.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const db = new Database(workerData.file, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 10000');
// Bounded statement cache: the same few statements (metrics, lists) come again and again.
const cache = new Map();

function statement(sql) {
  let s = cache.get(sql);
  if (!s) {
    s = db.prepare(sql);
    if (cache.size >= 200) cache.delete(cache.keys().next().value);
    cache.set(sql, s);
  }
  return s;
}

parentPort.on('message', (msg) => {
  try {
    const s = statement(msg.sql);
    if (!s.reader) throw new Error('read-only connection: not a query');
    // Rows as arrays plus the column names once: a structured clone of 50,000 small arrays costs
    // far less than of 50,000 objects repeating every key.
    const columns = s.columns().map((c) => c.name);
    s.raw(true);
    try {
      parentPort.postMessage({ id: msg.id, columns, rows: s.all(...msg.params) });
    } finally {
      s.raw(false);
    }
  } catch (e) {
    parentPort.postMessage({ id: msg.id, error: { message: e.message, code: e.code } });
  }
});
