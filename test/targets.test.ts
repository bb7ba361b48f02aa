/**
 * Targets over HTTP: a quarterly rule is four checks, a street target split among communities
 * and rolled up, and a target whose data arrive late changes status when they do.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { idCheckChar } from '../src/domain/id-number.ts';
import type { Store } from '../src/store/db.ts';
import { dialects, freshStore } from './helpers/db.ts';
import { FIXTURE_PASSWORD, smallStreet } from './helpers/fixtures.ts';
import { Client, startServer, type Running } from './helpers/http.ts';

for (const dialect of dialects()) {
  describe(`targets on ${dialect}`, () => {
    let store: Store;
    let server: Running;
    let c: Client;

    before(async () => {
      store = await freshStore(dialect);
      await smallStreet(store);
      server = await startServer(store);
      c = new Client(server.base);
      await c.login('clerk', FIXTURE_PASSWORD);
      for (const d of ['2024-02-10', '2024-05-10', '2024-11-10']) {
        assert.equal((await c.post('/api/ledgers/meetings/records', { 日期: d, 党组织编码: 'DGW', 会议类型: '党建工作专题会议', 主题: '党建工作' })).status, 200);
      }
    });
    after(async () => {
      await server.close();
      await store.close();
    });

    test('"每季度至少召开1次" is four quarterly checks', async () => {
      const made = await c.post('/api/targets', { areaCode: 'JD', year: 2024, title: '每季度至少召开1次党建工作专题会议', ledger: 'meetings', measure: 'count', filters: { 会议类型: '党建工作专题会议' }, comparison: '>=', threshold: 1, period: 'quarter' });
      assert.equal(made.status, 200, JSON.stringify(made.body));
      const mid = await c.get('/api/targets?year=2024&asOf=2024-08-15');
      const t = mid.body.items.find((x: { id: number }) => x.id === made.body.id);
      assert.deepEqual(t.periods.map((p: { period: string; status: string; value: number }) => `${p.period} ${p.status} ${p.value}`), ['2024-Q1 met 1', '2024-Q2 met 1', '2024-Q3 atRisk 0', '2024-Q4 notStarted 0']);
      assert.equal(t.status, 'atRisk');
      const end = await c.get('/api/targets?year=2024&asOf=2025-01-10');
      const t2 = end.body.items.find((x: { id: number }) => x.id === made.body.id);
      assert.equal(t2.periods[2].status, 'missed');
      assert.equal(t2.status, 'missed');
      assert.equal(t2.statusLabel, '未完成');
    });

    test('a street target split among communities, rolled up', async () => {
      const made = await c.post('/api/targets', { areaCode: 'JD', year: 2024, title: '开展宣传教育活动10场', ledger: 'activities', measure: 'count', filters: { 活动类型: '宣传教育' }, comparison: '>=', threshold: 10, period: 'year' });
      assert.equal((await c.post(`/api/targets/${made.body.id}/split`, { parts: [{ areaCode: 'SQ1', threshold: 6 }, { areaCode: 'SQ2', threshold: 4 }] })).status, 200);
      assert.equal((await c.post(`/api/targets/${made.body.id}/split`, { parts: [{ areaCode: 'JD', threshold: 1 }] })).status, 400, 'a part lies under the owner');
      for (let i = 0; i < 6; i++) await c.post('/api/ledgers/activities/records', { 日期: `2024-03-${10 + i}`, 活动类型: '宣传教育', 活动名称: '宣传', 区域编码: i < 4 ? 'SQ1-XQ1' : 'SQ2', 参与人数: 20 });
      const r = await c.get('/api/targets?year=2024&asOf=2024-12-01');
      const t = r.body.items.find((x: { id: number }) => x.id === made.body.id);
      assert.equal(t.value, 6, 'the street counts its whole area');
      assert.deepEqual(t.parts.map((p: { areaCode: string; value: number; threshold: number; status: string }) => [p.areaCode, p.value, p.threshold, p.status]), [['SQ1', 4, 6, 'atRisk'], ['SQ2', 2, 4, 'atRisk']]);
      const sq1 = new Client(server.base);
      await sq1.login('sq1', FIXTURE_PASSWORD);
      const mine = await sq1.get('/api/targets?year=2024&asOf=2024-12-01');
      assert.deepEqual(mine.body.items.map((x: { areaCode: string }) => x.areaCode), ['SQ1'], 'a community sees its own part');
    });

    test('a target whose data arrive late changes status when they arrive', async () => {
      const made = await c.post('/api/targets', { areaCode: 'JD', year: 2024, title: '培养后备干部2人以上', ledger: 'cadres', measure: 'count', filters: { 类别: '后备干部' }, comparison: '>=', threshold: 2, period: 'year' });
      const status = async () => (await c.get('/api/targets?year=2024&asOf=2025-02-01')).body.items.find((x: { id: number }) => x.id === made.body.id).status;
      assert.equal(await status(), 'missed');
      const a = '11010519900101001';
      const b = '11010519900102002';
      const fd = new FormData();
      fd.append('file', new Blob([Buffer.from(`姓名,公民身份号码,类别,区域编码,入库日期,状态\n张一,${a}${idCheckChar(a)},后备干部,SQ1,2024-06-01,在岗\n王二,${b}${idCheckChar(b)},后备干部,SQ2,2024-07-01,在岗\n`)]), 'late.csv');
      assert.equal((await c.request('POST', '/api/imports/cadres', fd)).status, 200);
      assert.equal(await status(), 'met');
    });
  });
}
