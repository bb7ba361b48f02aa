/**
 * `jiceng generate` (issue 7): a street of the demo's shape through the real CLI, every record of
 * the generated files imported through the import path, a second run adds nothing, the audit
 * chain verifies. Expected counts come from the generator's files, not from the database.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { sql } from 'kysely';
import { generatedStreet, GENERATED_YEAR } from '../src/demo/generate.ts';
import { generateDemoLedgers } from '../src/demo/ledgers-demo.ts';
import { ledgerByKey } from '../src/domain/ledgers/catalogue.ts';
import { ledgerTable } from '../src/domain/ledgers/columns.ts';
import { openStore } from '../src/store/db.ts';
import { recordDatabase } from './helpers/test-run.ts';

function cli(...args: string[]) {
  return spawnSync(process.execPath, ['bin/jiceng.mjs', ...args], { encoding: 'utf8' });
}

test('jiceng generate --scale street: one street of the demo’s shape, every generated row imported; a rerun skips it', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'jiceng-generate-')), 'g.db');
  recordDatabase(file, `${file}.key`);
  const r = cli('generate', '--scale', 'street', '--db', file);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /G001/);

  const expected = new Map<string, number>();
  for (const f of generateDemoLedgers(generatedStreet(1), 1).files) if (f.year === GENERATED_YEAR) expected.set(f.ledger, (expected.get(f.ledger) ?? 0) + f.rows.length);
  const store = openStore(file);
  try {
    for (const [ledger, n] of expected) {
      const { rows } = await sql<{ n: number }>`select count(*) as n from ${sql.table(ledgerTable(ledgerByKey(ledger)!.key))}`.execute(store.db);
      assert.equal(Number(rows[0]!.n), n, ledger);
    }
    const total = [...expected.values()].reduce((a, b) => a + b, 0);
    assert.ok(total > 75_000 && total < 90_000, `about 82,000 records a street (${total})`);
    const street = await store.db.selectFrom('areas').select('name').where('code', '=', 'G001').executeTakeFirstOrThrow();
    assert.equal(street.name, generatedStreet(1).name);
  } finally {
    await store.close();
  }
  const again = cli('generate', '--scale', 'street', '--db', file);
  assert.equal(again.status, 0);
  assert.match(again.stdout, /已存在，跳过/);
  assert.equal(cli('audit', 'verify', '--db', file).status, 0);
  assert.notEqual(cli('generate', '--scale', 'town', '--db', file).status, 0);
});
