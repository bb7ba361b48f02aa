/**
 * The ledger tables the migrations create are the ones the catalogue implies: adding a field
 * without a new migration (or editing a shipped one) fails here. Runs on every database.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { LEDGERS } from '../src/domain/ledgers/catalogue.ts';
import { ledgerTableSpec } from '../src/domain/ledgers/columns.ts';
import { migrate } from '../src/store/migrate.ts';
import { dialects, freshStore } from './helpers/db.ts';

for (const dialect of dialects()) {
  describe(`schema on ${dialect}`, () => {
    test('every ledger table has exactly the columns its definition implies', async () => {
      const store = await freshStore(dialect);
      try {
        for (const def of LEDGERS) {
          const spec = ledgerTableSpec(def);
          const rows =
            dialect === 'sqlite'
              ? (await sql<{ name: string }>`select name from pragma_table_info(${spec.table})`.execute(store.db)).rows
              : (await sql<{ name: string }>`select column_name as name from information_schema.columns where table_name = ${spec.table}`.execute(store.db)).rows;
          const actual = rows.map((r) => r.name).sort();
          const expected = ['id', ...spec.columns.map((c) => c.name)].sort();
          assert.deepEqual(actual, expected, def.key);
        }
      } finally {
        await store.close();
      }
    });

    test('migrating twice changes nothing', async () => {
      const store = await freshStore(dialect);
      try {
        assert.deepEqual((await migrate(store)).applied, []);
      } finally {
        await store.close();
      }
    });
  });
}
