/**
 * The monthly roll-ups stay exact on every write, and metric answers taken from them equal what
 * the records say. The test keeps its own list of the live records it made (dates, areas, 发现隐患数)
 * and works out every expected figure from that list; edits, moves to another grid and month,
 * deletions, restores and an import all go through the public API.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { dialects, freshStore } from './helpers/db.ts';
import { FIXTURE_PASSWORD, smallStreet } from './helpers/fixtures.ts';
import { Client, startServer, type Running } from './helpers/http.ts';
import type { Store } from '../src/store/db.ts';

interface Live {
  id: number;
  version: number;
  date: string;
  grid: string;
  hazards: number;
}

/** Fixture grids and the community each lies in (none for the village's grid). */
const GRIDS: Record<string, string | null> = { 'SQ1-WG1': 'SQ1', 'SQ1-XQ1-WG1': 'SQ1', 'SQ2-WG1': 'SQ2', 'CUN1-WG1': null };

/** A deterministic spread of dates over 2023 (and one in January 2024). */
function dateOf(i: number): string {
  const m = (i * 7) % 12;
  const d = ((i * 11) % 28) + 1;
  return i % 29 === 0 ? '2024-01-05' : `2023-${String(m + 1).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

for (const dialect of dialects()) {
  describe(`roll-ups on ${dialect}`, () => {
    let store: Store;
    let server: Running;
    let a: Client;
    const live = new Map<number, Live>();

    before(async () => {
      store = await freshStore(dialect);
      await smallStreet(store);
      server = await startServer(store);
      a = new Client(server.base);
      assert.equal((await a.login('admin', FIXTURE_PASSWORD)).status, 200);
    });
    after(async () => {
      await server.close();
      await store.close();
    });

    const expected = (pred: (r: Live) => boolean) => {
      const rows = [...live.values()].filter(pred);
      return { count: rows.length, hazards: rows.reduce((s, r) => s + r.hazards, 0) };
    };
    const metric = async (q: string) => {
      const r = await a.get(`/api/metrics/query?ledger=inspections&${q}`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body as { value: number; groups?: Array<{ key: string; value: number }> };
    };

    async function check(): Promise<void> {
      // The roll-up table itself, cell by cell, against the test's own list.
      const cells = new Map<string, { n: number; s: number }>();
      const ids = new Map<string, number>();
      for (const row of await store.db.selectFrom('areas').select(['id', 'code']).execute()) ids.set(row.code, Number(row.id));
      for (const r of live.values()) {
        const k = `${ids.get(r.grid)}|${r.date.slice(0, 7)}`;
        const c = cells.get(k) ?? { n: 0, s: 0 };
        c.n++;
        c.s += r.hazards;
        cells.set(k, c);
      }
      const stored = (await sql<{ area_id: number; month: string; n: number; s_hazards: number }>`select area_id, month, n, s_hazards from ru_inspections where n <> 0`.execute(store.db)).rows;
      assert.deepEqual(
        Object.fromEntries(stored.map((r) => [`${r.area_id}|${r.month}`, { n: Number(r.n), s: Number(r.s_hazards) }])),
        Object.fromEntries(cells),
      );

      // Metric answers: whole months, part months at both ends, groups by month, quarter and community.
      const year = (r: Live) => r.date >= '2023-01-01' && r.date <= '2023-12-31';
      assert.equal((await metric('')).value, live.size);
      assert.equal((await metric('from=2023-01-01&to=2023-12-31')).value, expected(year).count);
      assert.equal(Number((await metric('measure=sum:hazards&from=2023-01-01&to=2023-12-31')).value), expected(year).hazards);
      const ragged = (r: Live) => r.date >= '2023-03-15' && r.date <= '2023-10-09';
      assert.equal((await metric('from=2023-03-15&to=2023-10-09')).value, expected(ragged).count);
      assert.equal(Number((await metric('measure=sum:hazards&from=2023-03-15&to=2023-10-09')).value), expected(ragged).hazards);
      const inMonth = (r: Live) => r.date >= '2023-05-03' && r.date <= '2023-05-20';
      assert.equal((await metric('from=2023-05-03&to=2023-05-20')).value, expected(inMonth).count);
      const since = (r: Live) => r.date >= '2023-06-10';
      assert.equal((await metric('from=2023-06-10')).value, expected(since).count);

      const byMonth = await metric('from=2023-02-14&to=2023-12-31&groupBy=month');
      const months = new Map<string, number>();
      for (const r of live.values()) if (r.date >= '2023-02-14' && r.date <= '2023-12-31') months.set(r.date.slice(0, 7), (months.get(r.date.slice(0, 7)) ?? 0) + 1);
      assert.deepEqual(Object.fromEntries(byMonth.groups!.map((g) => [g.key, g.value])), Object.fromEntries([...months].sort()));

      const byQuarter = await metric('measure=sum:hazards&from=2023-01-01&to=2023-12-31&groupBy=quarter');
      const quarters = new Map<string, number>();
      for (const r of live.values()) if (year(r)) {
        const q = `2023-Q${Math.ceil(Number(r.date.slice(5, 7)) / 3)}`;
        quarters.set(q, (quarters.get(q) ?? 0) + r.hazards);
      }
      // A quarter whose records found no hazard still has records, so it is listed with 0.
      assert.deepEqual(Object.fromEntries(byQuarter.groups!.map((g) => [g.key, Number(g.value)])), Object.fromEntries([...quarters].sort()));

      const byCommunity = await metric(`from=2023-01-01&to=2023-11-20&groupBy=${encodeURIComponent('area:社区')}`);
      const communities = new Map<string, number>();
      for (const r of live.values()) {
        const c = GRIDS[r.grid];
        if (c && r.date >= '2023-01-01' && r.date <= '2023-11-20') communities.set(c, (communities.get(c) ?? 0) + 1);
      }
      assert.deepEqual(Object.fromEntries(byCommunity.groups!.map((g) => [g.key, g.value])), Object.fromEntries([...communities].sort()));

      // Scoped to one community.
      const sq1 = (r: Live) => GRIDS[r.grid] === 'SQ1' && year(r);
      assert.equal((await metric('area=SQ1&from=2023-01-01&to=2023-12-31')).value, expected(sq1).count);
    }

    test('records made one by one, then edited, moved, deleted and restored', async () => {
      const grids = Object.keys(GRIDS);
      for (let i = 0; i < 60; i++) {
        const rec = { date: dateOf(i), grid: grids[i % grids.length]!, hazards: i % 4 };
        const r = await a.post('/api/ledgers/inspections/records', { 排查日期: rec.date, 网格编码: rec.grid, 对象类型: '商户', 对象名称: `商户${i}`, 排查人: '王五', 发现隐患数: rec.hazards, 已整改数: 0 });
        assert.equal(r.status, 200, JSON.stringify(r.body));
        live.set(r.body.id, { id: r.body.id, version: r.body.version, ...rec });
      }
      await check();

      const list = [...live.values()];
      // Another month and another grid (and so another community), another count of hazards.
      for (const r of list.slice(0, 10)) {
        const moved = { date: r.date.replace(/-(\d\d)-/, (_, m) => `-${String(((Number(m) + 4) % 12) + 1).padStart(2, '0')}-`), grid: 'SQ2-WG1', hazards: r.hazards + 3 };
        const e = await a.patch(`/api/ledgers/inspections/records/${r.id}`, { 排查日期: moved.date, 网格编码: moved.grid, 发现隐患数: moved.hazards, version: r.version });
        assert.equal(e.status, 200, JSON.stringify(e.body));
        live.set(r.id, { ...r, ...moved, version: e.body.version });
      }
      // An edit that touches no counted column.
      const plain = list[20]!;
      const e = await a.patch(`/api/ledgers/inspections/records/${plain.id}`, { 对象名称: '改名', version: plain.version });
      assert.equal(e.status, 200);
      live.set(plain.id, { ...plain, version: e.body.version });
      // Deleted, and some restored.
      for (const r of list.slice(30, 40)) {
        const cur = live.get(r.id)!;
        assert.equal((await a.request('DELETE', `/api/ledgers/inspections/records/${r.id}`, { version: cur.version })).status, 200);
        live.delete(r.id);
      }
      for (const r of list.slice(30, 34)) {
        const back = await a.post(`/api/ledgers/inspections/records/${r.id}/restore`);
        assert.equal(back.status, 200);
        live.set(r.id, { ...r, version: back.body.version });
      }
      await check();
    });

    test('an import adds its rows to the roll-ups in its own transaction; a refused import adds nothing', async () => {
      const header = '排查日期,网格编码,对象类型,对象名称,排查人,专项行动,发现隐患数,已整改数';
      const rows = Array.from({ length: 300 }, (_, i) => ({ date: dateOf(i + 100), grid: Object.keys(GRIDS)[i % 4]!, hazards: (i * 3) % 5 }));
      const csv = [header, ...rows.map((r, i) => `${r.date},${r.grid},居民户,住户${i},李四,,${r.hazards},0`)].join('\n');
      const bad = `${csv}\n2023-01-01,NOPE,居民户,x,李四,,1,0`;
      const upload = async (text: string, name: string) => {
        const form = new FormData();
        form.append('file', new Blob([text], { type: 'text/csv' }), name);
        return a.request('POST', '/api/imports/inspections', form);
      };
      const refused = await upload(bad, 'bad.csv');
      assert.equal(refused.status, 400);
      await check();
      const ok = await upload(csv, 'ok.csv');
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      // The imported records' ids, from the list (newest first): the test's model learns them.
      const listed = await a.get('/api/ledgers/inspections/records?sort=-id&pageSize=300');
      for (const item of listed.body.items as Array<{ id: number; version: number; date: string; gridCode?: string; grid?: string; hazards: number }>) {
        if (!live.has(item.id)) live.set(item.id, { id: item.id, version: item.version, date: item.date, grid: String(item.gridCode ?? item.grid), hazards: Number(item.hazards) });
      }
      assert.equal(live.size, 60 - 6 + 300);
      await check();
    });
  });
}
