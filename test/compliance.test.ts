/**
 * 组织生活 compliance on hand-built fixtures with exact expected cells: quarter and month edges,
 * a branch founded in May, a branch that gains a committee mid-year, a meeting below quorum
 * (not counted, and said so), a period not yet over ("due"), and a street tightening a rule.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Store } from '../src/store/db.ts';
import { dialects, freshStore } from './helpers/db.ts';
import { FIXTURE_PASSWORD, smallStreet } from './helpers/fixtures.ts';
import { Client, startServer, type Running } from './helpers/http.ts';

type Row = [date: string, org: string, type: string, expected?: number, present?: number];
const MONTHS = Array.from({ length: 12 }, (_, i) => String(i + 1).padStart(2, '0'));

function fullYear(org: string, year: number, skip: (type: string, month: string) => boolean = () => false, fromMonth = 1): Row[] {
  const rows: Row[] = [];
  for (const m of MONTHS.slice(fromMonth - 1)) {
    if (!skip('主题党日', m)) rows.push([`${year}-${m}-15`, org, '主题党日']);
  }
  for (const q of [1, 2, 3, 4]) {
    const m = String(q * 3).padStart(2, '0');
    if (q * 3 < fromMonth) continue;
    if (!skip('支部党员大会', m)) rows.push([`${year}-${m}-10`, org, '支部党员大会', 10, 8]);
    if (!skip('党课', m)) rows.push([`${year}-${m}-11`, org, '党课']);
  }
  rows.push([`${year}-12-20`, org, '组织生活会'], [`${year}-12-20`, org, '民主评议党员']);
  return rows;
}

function csv(rows: Row[]): string {
  return ['日期,党组织编码,会议类型,主题,应到人数,实到人数', ...rows.map(([d, o, t, e, p]) => `${d},${o},${t},${t}会议,${e ?? ''},${p ?? ''}`)].join('\n');
}

for (const dialect of dialects()) {
  describe(`组织生活 compliance on ${dialect}`, () => {
    let store: Store;
    let server: Running;
    let c: Client;

    before(async () => {
      store = await freshStore(dialect);
      await smallStreet(store);
      server = await startServer(store);
      c = new Client(server.base);
      await c.login('clerk', FIXTURE_PASSWORD);
      assert.equal((await c.post('/api/orgs', { code: 'NEW-ZB', name: '新建党支部', kind: '党支部', parentCode: 'SQ1-DW', areaCode: 'SQ1', foundedOn: '2023-05-15' })).status, 200);
      assert.equal((await c.post('/api/orgs/SQ2-ZB1/committees', { establishedOn: '2023-07-01', members: 3 })).status, 200);
      const rows: Row[] = [
        // SQ1-ZB1: 党员大会 on the last day of Q1 and the first of Q2, none in Q3, one below quorum in Q4.
        ...fullYear('SQ1-ZB1', 2023, (t, m) => t === '支部党员大会' || (t === '主题党日' && m === '02')),
        ['2023-03-31', 'SQ1-ZB1', '支部党员大会', 10, 6],
        ['2023-04-01', 'SQ1-ZB1', '支部党员大会', 10, 10],
        ['2023-11-20', 'SQ1-ZB1', '支部党员大会', 10, 5],
        // 主题党日 for February on 01-31 and 03-01 do not count for February.
        ['2023-01-31', 'SQ1-ZB1', '主题党日'],
        ['2023-03-01', 'SQ1-ZB1', '主题党日'],
        // SQ2-ZB1: a committee from July; 支委会 July–November, none in December; one in March (no committee yet).
        ...fullYear('SQ2-ZB1', 2023),
        ...['07', '08', '09', '10', '11'].map((m): Row => [`2023-${m}-05`, 'SQ2-ZB1', '支部委员会', 3, 2]),
        ['2023-03-05', 'SQ2-ZB1', '支部委员会', 3, 3],
        // A 支委会 with 1 of 3 present does not count either.
        ['2023-12-05', 'SQ2-ZB1', '支部委员会', 3, 1],
        // NEW-ZB from May.
        ...fullYear('NEW-ZB', 2023, () => false, 5),
        // The 党工委: 专题会议 in Q1–Q3 only.
        ['2023-02-10', 'DGW', '党建工作专题会议'],
        ['2023-05-10', 'DGW', '党建工作专题会议'],
        ['2023-08-10', 'DGW', '党建工作专题会议'],
        // 2024, for "due": SQ1-ZB1 holds 主题党日 in January–March only.
        ['2024-01-15', 'SQ1-ZB1', '主题党日'],
        ['2024-02-15', 'SQ1-ZB1', '主题党日'],
        ['2024-03-15', 'SQ1-ZB1', '主题党日'],
      ];
      const fd = new FormData();
      fd.append('file', new Blob([Buffer.from(csv(rows))]), 'meetings.csv');
      const r = await c.request('POST', '/api/imports/meetings', fd);
      assert.equal(r.status, 200, JSON.stringify(r.body.errors?.slice(0, 3)));
    });
    after(async () => {
      await server.close();
      await store.close();
    });

    const cells = (body: any, org: string, type: string) =>
      Object.fromEntries(body.rows.find((r: { org: string }) => r.org === org).cells.filter((x: { meetingType: string }) => x.meetingType === type).map((x: { period: string; status: string; held: number }) => [x.period, `${x.status}:${x.held}`]));

    test('quarter and month edges; a meeting below quorum is not counted, and said so', async () => {
      const r = await c.get('/api/compliance?year=2023&asOf=2024-01-15');
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(cells(r.body, 'SQ1-ZB1', '支部党员大会'), { '2023-Q1': 'met:1', '2023-Q2': 'met:1', '2023-Q3': 'missed:0', '2023-Q4': 'missed:0' });
      const dayCells = cells(r.body, 'SQ1-ZB1', '主题党日');
      assert.equal(dayCells['2023-01'], 'met:2');
      assert.equal(dayCells['2023-02'], 'missed:0');
      assert.equal(dayCells['2023-03'], 'met:2');
      const q4 = r.body.findings.find((f: { org: string; period: string }) => f.org === 'SQ1-ZB1' && f.period === '2023-Q4');
      assert.match(q4.message, /另有1次会议到会人数未过半数，不计入/);
      assert.match(q4.rule, /支部工作条例/);
      assert.deepEqual(
        r.body.findings.filter((f: { org: string }) => f.org === 'SQ1-ZB1').map((f: { meetingType: string; period: string }) => `${f.meetingType} ${f.period}`).sort(),
        ['主题党日 2023-02', '支部党员大会 2023-Q3', '支部党员大会 2023-Q4'],
      );
      assert.ok(Object.values(cells(r.body, 'SQ1-ZB1', '支部委员会')).every((v) => v === 'na:0'), 'no committee, no 支委会 rule');
    });

    test('a branch that gains a committee mid-year is judged on 支委会 from then on', async () => {
      const r = await c.get('/api/compliance?year=2023&asOf=2024-01-15');
      const committee = cells(r.body, 'SQ2-ZB1', '支部委员会');
      assert.deepEqual(committee, {
        '2023-01': 'na:0', '2023-02': 'na:0', '2023-03': 'na:1', '2023-04': 'na:0', '2023-05': 'na:0', '2023-06': 'na:0',
        '2023-07': 'met:1', '2023-08': 'met:1', '2023-09': 'met:1', '2023-10': 'met:1', '2023-11': 'met:1', '2023-12': 'missed:0',
      });
      assert.deepEqual(r.body.findings.filter((f: { org: string }) => f.org === 'SQ2-ZB1').map((f: { period: string }) => f.period), ['2023-12']);
    });

    test('a branch founded in May is not judged before it existed', async () => {
      const r = await c.get('/api/compliance?year=2023&asOf=2024-01-15');
      const days = cells(r.body, 'NEW-ZB', '主题党日');
      assert.deepEqual(Object.entries(days).filter(([, v]) => v.startsWith('na')).map(([k]) => k), ['2023-01', '2023-02', '2023-03', '2023-04']);
      assert.deepEqual(cells(r.body, 'NEW-ZB', '支部党员大会'), { '2023-Q1': 'na:0', '2023-Q2': 'met:1', '2023-Q3': 'met:1', '2023-Q4': 'met:1' });
      assert.equal(r.body.findings.filter((f: { org: string }) => f.org === 'NEW-ZB').length, 0);
    });

    test("the street's own rule: a 党建工作专题会议 every quarter", async () => {
      const r = await c.get('/api/compliance?year=2023&asOf=2024-01-15');
      assert.deepEqual(cells(r.body, 'DGW', '党建工作专题会议'), { '2023-Q1': 'met:1', '2023-Q2': 'met:1', '2023-Q3': 'met:1', '2023-Q4': 'missed:0' });
    });

    test('periods not over are due, not missed', async () => {
      const r = await c.get('/api/compliance?year=2024&asOf=2024-05-20&area=SQ1');
      const days = cells(r.body, 'SQ1-ZB1', '主题党日');
      assert.deepEqual([days['2024-03'], days['2024-04'], days['2024-05'], days['2024-06']], ['met:1', 'missed:0', 'due:0', 'due:0']);
      assert.equal(cells(r.body, 'SQ1-ZB1', '支部党员大会')['2024-Q2'], 'due:0');
      assert.ok(r.body.rows.every((row: { org: string }) => ['SQ1-ZB1', 'NEW-ZB'].includes(row.org)), 'area=SQ1 scopes the rows');
    });

    test('a street may tighten a rule, never loosen it', async () => {
      const admin = new Client(server.base);
      await admin.login('admin', FIXTURE_PASSWORD);
      const loosen = await admin.put('/api/compliance/rules', { 主题党日: 0 });
      assert.equal(loosen.status, 400);
      assert.match(loosen.body.error.message, /只能调高/);
      assert.equal((await admin.put('/api/compliance/rules', { 党课: 2 })).status, 200);
      const r = await c.get('/api/compliance?year=2023&asOf=2024-01-15');
      assert.equal(cells(r.body, 'NEW-ZB', '党课')['2023-Q2'], 'missed:1');
      assert.equal((await admin.put('/api/compliance/rules', {})).status, 200);
    });
  });
}
