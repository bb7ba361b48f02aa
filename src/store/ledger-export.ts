/** Writing a ledger's records to a file (the CLI's `export`), page by page, audited. */
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { LedgerDef } from '../domain/ledgers/types.ts';
import { parseRecordQuery } from '../domain/ledgers/query.ts';
import { exportStream, type ExportCell } from '../io/ledger-files.ts';
import type { Store } from './db.ts';
import { applyRecordQuery, baseQuery, decryptRows, presentRecord, type Row } from './ledger.repository.ts';
import { RefIndex } from './refs.ts';
import type { Scope } from './scope.ts';
import { withWrite, type Actor } from './unit-of-work.ts';

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
  let n = 0;
  async function* counted() {
    for await (const page of exportPages(store, def, scope, params, false)) {
      n += page.length;
      yield page;
    }
  }
  await pipeline(exportStream(def, format, counted()), createWriteStream(out));
  await withWrite(store, actor, (w) => w.audit({ action: 'export', entity: def.key, areaPath: scope.path, detail: { format, file: out, rows: n, query: params } }));
  return n;
}
