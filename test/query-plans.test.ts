/**
 * The hot queries use the indexes and roll-ups made for them (issue 7): the statements the server
 * really runs for a record list, a record, a metric are captured and explained on each database.
 * SQLite: EXPLAIN QUERY PLAN names the index. PostgreSQL: with sequential scans disabled for the
 * session, a plan still scanning a ledger table sequentially has no index it can use.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { ledgerByKey } from '../src/domain/ledgers/catalogue.ts';
import type { Table, TableRow } from '../src/io/table-reader.ts';
import type { Store } from '../src/store/db.ts';
import { importLedger } from '../src/store/ledger-import.ts';
import { WHOLE_DATABASE } from '../src/store/scope.ts';
import { SYSTEM_ACTOR } from '../src/store/unit-of-work.ts';
import { dialects, freshStore } from './helpers/db.ts';
import { FIXTURE_PASSWORD, smallStreet } from './helpers/fixtures.ts';
import { Client, startServer, type Running } from './helpers/http.ts';

const GRIDS = ['SQ1-WG1', 'SQ1-XQ1-WG1', 'SQ2-WG1', 'CUN1-WG1'];

function inspections(n: number): Table {
  async function* rows(): AsyncGenerator<TableRow> {
    for (let i = 0; i < n; i++) {
      const date = `2023-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 27) + 1).padStart(2, '0')}`;
      yield { row: i + 2, values: [date, GRIDS[i % 4]!, '商户', `商户${i}`, '王五', null, i % 3, 0] };
    }
  }
  return { headers: ['排查日期', '网格编码', '对象类型', '对象名称', '排查人', '专项行动', '发现隐患数', '已整改数'], rows: rows() };
}

for (const dialect of dialects()) {
  describe(`query plans on ${dialect}`, () => {
    let store: Store;
    let server: Running;
    let a: Client;
    let statements: Array<{ sql: string; params: readonly unknown[] }> = [];

    before(async () => {
      store = await freshStore(dialect, {
        onQuery: (text, params) => {
          statements.push({ sql: text, params });
        },
      });
      await smallStreet(store);
      const r = await importLedger(store, SYSTEM_ACTOR, WHOLE_DATABASE, ledgerByKey('inspections')!, inspections(3000), { dryRun: false, fileName: 'plans.csv', fileSha256: 'plans', fallbackAreaId: null });
      assert.ok(r.ok, JSON.stringify(r.errors.slice(0, 3)));
      // PostgreSQL analyzes by itself (autovacuum); SQLite plans without statistics, as the server runs it.
      if (dialect === 'postgres') await sql`analyze`.execute(store.db);
      server = await startServer(store);
      a = new Client(server.base);
      assert.equal((await a.login('admin', FIXTURE_PASSWORD)).status, 200);
    });
    after(async () => {
      await server.close();
      await store.close();
    });

    /** The statements over ledger tables and roll-ups one request runs. */
    async function ledgerStatements(path: string): Promise<Array<{ sql: string; params: readonly unknown[] }>> {
      statements = [];
      const r = await a.get(path);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return statements.filter((s) => /\b(lg|ru)_/.test(s.sql));
    }

    async function plan(s: { sql: string; params: readonly unknown[] }): Promise<string> {
      if (dialect === 'sqlite') {
        const rows = store.sqlite!.prepare(`explain query plan ${s.sql}`).all(...(s.params as unknown[])) as Array<{ detail: string }>;
        return rows.map((r) => r.detail).join('\n');
      }
      const c = await store.db.connection().execute(async (db) => {
        await sql`set enable_seqscan = off`.execute(db);
        const rows = (await sql.raw(`explain ${s.sql.replace(/\$(\d+)/g, (_, n) => literal(s.params[Number(n) - 1]))}`).execute(db)).rows as Array<Record<string, string>>;
        await sql`set enable_seqscan = on`.execute(db);
        return rows.map((r) => Object.values(r)[0]).join('\n');
      });
      return c;
    }

    function literal(v: unknown): string {
      if (v === null || v === undefined) return 'null';
      if (typeof v === 'number') return String(v);
      return `'${String(v).replace(/'/g, "''")}'`;
    }

    test('a street’s record list reads the (root_id, date) index in date order; a community’s the (area_id, date) index', async () => {
      const street = await ledgerStatements('/api/ledgers/inspections/records?area=JD&from=2023-01-01&to=2023-12-31&sort=-date&page=2&pageSize=50');
      assert.ok(street.length >= 2);
      for (const s of street) {
        const p = await plan(s);
        if (dialect === 'sqlite') assert.match(p, /USING (COVERING )?INDEX lg_inspections_root_id_date_live/, p);
        else assert.doesNotMatch(p, /Seq Scan on lg_inspections/, p);
      }
      const community = await ledgerStatements('/api/ledgers/inspections/records?area=SQ1&from=2023-01-01&to=2023-12-31&page=1&pageSize=50');
      for (const s of community) {
        const p = await plan(s);
        if (dialect === 'sqlite') assert.match(p, /USING (COVERING )?INDEX lg_inspections_area_id_date_live/, p);
        else assert.doesNotMatch(p, /Seq Scan on lg_inspections/, p);
      }
    });

    test('one record is read by its primary key', async () => {
      const list = await a.get('/api/ledgers/inspections/records?pageSize=1');
      const s = await ledgerStatements(`/api/ledgers/inspections/records/${list.body.items[0].id}`);
      const p = await plan(s[0]!);
      if (dialect === 'sqlite') assert.match(p, /SEARCH r USING INTEGER PRIMARY KEY/, p);
      else assert.match(p, /Index Scan using lg_inspections_pkey/, p);
    });

    test('a year’s count and sum by 社区 come from the roll-up, not from the records', async () => {
      for (const measure of ['count', 'sum:hazards']) {
        const s = await ledgerStatements(`/api/metrics/query?ledger=inspections&measure=${measure}&from=2023-01-01&to=2023-12-31&groupBy=${encodeURIComponent('area:社区')}`);
        assert.ok(s.length >= 1);
        assert.ok(s.every((x) => /\bru_inspections\b/.test(x.sql) && !/\blg_inspections\b/.test(x.sql)), s.map((x) => x.sql).join('\n'));
      }
      // A range from mid-month: the part month from the records, by index.
      const ragged = await ledgerStatements('/api/metrics/query?ledger=inspections&area=SQ1&from=2023-03-15&to=2023-12-31');
      assert.ok(ragged.some((x) => /\bru_inspections\b/.test(x.sql)));
      for (const x of ragged.filter((y) => /\blg_inspections\b/.test(y.sql))) {
        const p = await plan(x);
        if (dialect === 'sqlite') assert.match(p, /USING (COVERING )?INDEX lg_inspections_(area_id|root_id)_date_live/, p);
        else assert.doesNotMatch(p, /Seq Scan on lg_inspections/, p);
      }
    });

    test('a metric with a field filter reads the records of the scope by index', async () => {
      const s = await ledgerStatements(`/api/metrics/query?ledger=inspections&area=SQ1&f.objectType=${encodeURIComponent('商户')}&from=2023-01-01&to=2023-12-31&groupBy=month`);
      assert.ok(s.length >= 1);
      for (const x of s) {
        const p = await plan(x);
        if (dialect === 'sqlite') assert.match(p, /USING (COVERING )?INDEX lg_inspections_area_id_date_live/, p);
        else assert.doesNotMatch(p, /Seq Scan on lg_inspections/, p);
      }
    });
  });
}
