// Reads an .xlsx in a worker thread (see readTable in table-reader.ts): the same checked reader,
// its rows sent to the importing thread in batches, so parsing and checking/inserting run on two
// cores and a big import leaves the server's thread free. Plain JavaScript: it registers the
// TypeScript loader itself, whatever the main thread was started with.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { readTableInThread } = await import('./table-reader.ts');
const BATCH = 1000;
// Batches sent but not yet taken: reading pauses beyond this, so memory stays bounded.
const AHEAD = 8;
let credit = AHEAD;
let wake = null;
parentPort.on('message', (m) => {
  if (m === 'more') {
    credit++;
    if (wake) {
      const w = wake;
      wake = null;
      w();
    }
  }
});

function fail(e) {
  parentPort.postMessage({ type: 'error', error: { name: e?.name, code: e?.code, message: e?.message ?? String(e), details: e?.details } });
}

try {
  const table = await readTableInThread(workerData.path, workerData.filename, workerData.options);
  parentPort.postMessage({ type: 'headers', headers: table.headers });
  let batch = [];
  for await (const r of table.rows) {
    batch.push(r);
    if (batch.length >= BATCH) {
      while (credit <= 0) await new Promise((resolve) => (wake = resolve));
      credit--;
      parentPort.postMessage({ type: 'rows', rows: batch });
      batch = [];
    }
  }
  parentPort.postMessage({ type: 'rows', rows: batch });
  parentPort.postMessage({ type: 'end' });
} catch (e) {
  fail(e);
}
