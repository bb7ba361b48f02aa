/** Writing a ledger's records to a file (the CLI's `export`), page by page, audited and in the export log. */
import { createHash } from 'node:crypto';
import { createWriteStream, readFileSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { LedgerDef } from '../domain/ledgers/types.ts';
import { parseRecordQuery } from '../domain/ledgers/query.ts';
import { exportStream, type ExportCell } from '../io/ledger-files.ts';
import type { Store } from './db.ts';
import { applyRecordQuery, baseQuery, decryptRows, presentRecord, type Row } from './ledger.repository.ts';
import { RefIndex } from './refs.ts';
import type { Scope } from './scope.ts';
import type { Actor } from './unit-of-work.ts';
import { countRows, finishExport, startExport } from './export-log.ts';

/** Pages of presented records matching the query, in id order (keyset paging: bounded memory). */
export async function* exportPages(store: Store, def: LedgerDef, scope: Scope, params: Record<string, unknown>, unmasked: boolean): AsyncGenerator<Array<Record<string, ExportCell>>> {
  const rq = parseRecordQuery(def, params);
  const refs = await RefIndex.load(store.db);
  let after = 0;
  for (;;) {
    const rows = (await applyRecordQuery(baseQuery(store.db, def, scope), def, rq, refs, store)
      .selectAll('r')
      .where('r.id', '>', after)
      .orderBy('r.id')
      .limit(2000)
      .execute()) as Row[];
    if (!rows.length) return;
    decryptRows(store, def, rows);
    yield rows.map((row) => presentRecord(def, row, refs, unmasked));
    after = Number(rows[rows.length - 1]!.id);
    if (rows.length < 2000) return;
  }
}

export async function exportLedgerToFile(store: Store, actor: Actor, def: LedgerDef, scope: Scope, params: Record<string, unknown>, format: 'xlsx' | 'csv', out: string): Promise<number> {
  // The command line exports masked, like the default download; logged in the export log.
  const id = await startExport(store, actor, { ledger: def.key, scope, filters: params, format, unmasked: false, file: out });
  const counter = { rows: 0 };
  try {
    await pipeline(exportStream(def, format, countRows(exportPages(store, def, scope, params, false), counter)), createWriteStream(out));
  } catch (e) {
    await finishExport(store, actor, id, { failed: (e as Error).message });
    throw e;
  }
  const sha256 = createHash('sha256').update(readFileSync(out)).digest('hex');
  await finishExport(store, actor, id, { rows: counter.rows, sha256 });
  return counter.rows;
}
