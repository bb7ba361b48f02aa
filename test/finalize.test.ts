/**
 * 封账: a leader finalizes the annual report; it is served byte for byte afterwards; records of the
 * closed year change only through corrections a leader approves (audited); 差异 lists the
 * figures that changed since.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Store } from '../src/store/db.ts';
import { dialects, freshStore } from './helpers/db.ts';
import { FIXTURE_PASSWORD, smallStreet } from './helpers/fixtures.ts';
import { Client, startServer, type Running } from './helpers/http.ts';

for (const dialect of dialects()) {
  describe(`finalized reports on ${dialect}`, () => {
    let store: Store;
    let server: Running;
    let clerk: Client;
    let leader: Client;
    const ids: number[] = [];

    before(async () => {
      store = await freshStore(dialect);
      await smallStreet(store);
      server = await startServer(store);
      clerk = new Client(server.base);
      leader = new Client(server.base);
      await clerk.login('clerk', FIXTURE_PASSWORD);
      await leader.login('leader', FIXTURE_PASSWORD);
      for (const [i, date] of ['2023-03-01', '2023-06-01', '2023-09-01'].entries()) {
        const r = await clerk.post('/api/ledgers/projects/records', { 项目名称: `项目${i}`, 责任单位编码: 'SQ1', 立项日期: date, 状态: '实施中' });
        assert.equal(r.status, 200, JSON.stringify(r.body));
        ids.push(r.body.id);
      }
    });
    after(async () => {
      await server.close();
      await store.close();
    });

    const projectsFigure = (report: any) => report.sections[0].paragraphs[0].figures.find((f: { key: string }) => f.key === 'projects');

    test('only a leader finalizes; the finalized report comes back byte for byte', async () => {
      assert.equal((await clerk.post('/api/reports/annual/finalize', { area: 'JD', year: 2023 })).status, 403);
      const fin = await leader.post('/api/reports/annual/finalize', { area: 'JD', year: 2023 });
      assert.equal(fin.status, 200, JSON.stringify(fin.body));
      assert.equal((await leader.post('/api/reports/annual/finalize', { area: 'JD', year: 2023 })).status, 409, 'once');
      const get = async (format: string) => Buffer.from(await (await fetch(`${server.base}/api/reports/annual/finalized?area=JD&year=2023&format=${format}`, { headers: { cookie: leader.cookie! } })).arrayBuffer());
      const [a, b] = [await get('docx'), await get('docx')];
      assert.ok(a.length > 1000 && a.equals(b));
      const json = JSON.parse((await get('json')).toString('utf8'));
      assert.equal(projectsFigure(json).value, 3);
    });

    test('records of the closed year cannot be changed directly, nor imported', async () => {
      const r = await clerk.get(`/api/ledgers/projects/records/${ids[0]}`);
      const edit = await clerk.patch(`/api/ledgers/projects/records/${ids[0]}`, { 立项日期: '2022-12-01', version: r.body.version });
      assert.equal(edit.status, 409);
      assert.match(edit.body.error.message, /已封账.*更正申请/);
      assert.equal((await clerk.request('DELETE', `/api/ledgers/projects/records/${ids[0]}`, { version: r.body.version })).status, 409);
      assert.equal((await clerk.post('/api/ledgers/projects/records', { 项目名称: '补录', 责任单位编码: 'SQ1', 立项日期: '2023-12-01', 状态: '未开始' })).status, 409);
      const fd = new FormData();
      fd.append('file', new Blob([Buffer.from('项目名称,责任单位编码,立项日期,状态\n补录项目,SQ1,2023-11-11,未开始\n')]), 'p.csv');
      const imp = await clerk.request('POST', '/api/imports/projects', fd);
      assert.equal(imp.status, 400);
      assert.match(imp.body.errors[0].message, /已封账/);
      // Another year is open.
      assert.equal((await clerk.post('/api/ledgers/projects/records', { 项目名称: '新项目', 责任单位编码: 'SQ1', 立项日期: '2024-01-10', 状态: '未开始' })).status, 200);
    });

    test('a correction approved by a leader changes the record, audited; 差异 shows the figure', async () => {
      const req = await clerk.post('/api/corrections', { ledger: 'projects', recordId: ids[0], changes: { 立项日期: '2022-12-01' }, reason: '立项日期录入错误，应为2022年' });
      assert.equal(req.status, 200, JSON.stringify(req.body));
      const pending = await leader.get('/api/corrections?status=pending');
      assert.equal(pending.body.items.length, 1);
      const ok = await leader.post(`/api/corrections/${req.body.id}/decision`, { approve: true });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.equal((await clerk.get(`/api/ledgers/projects/records/${ids[0]}`)).body.startedOn, '2022-12-01');
      const diff = await leader.get('/api/reports/annual/diff?area=JD&year=2023');
      assert.deepEqual(diff.body.changed.map((c: { key: string; finalValue: number; currentValue: number }) => [c.key, c.finalValue, c.currentValue]), [['projects', 3, 2]]);
      const fin = JSON.parse(Buffer.from(await (await fetch(`${server.base}/api/reports/annual/finalized?area=JD&year=2023`, { headers: { cookie: leader.cookie! } })).arrayBuffer()).toString('utf8'));
      assert.equal(projectsFigure(fin).value, 3, 'the finalized report does not drift');
      const admin = new Client(server.base);
      await admin.login('admin', FIXTURE_PASSWORD);
      const audit = await admin.get(`/api/audit?entity=projects&entityId=${ids[0]}&action=update`);
      assert.equal(audit.body.items[0].detail.correction, true);
    });

    test("a street edits its report's wording, moves and removes paragraphs, adds figures; a broken figure is refused", async () => {
      const got = await leader.get('/api/reports/annual/template?area=JD&year=2024');
      assert.equal(got.body.saved, false);
      const t = got.body.template;
      const first = t.achievements[0];
      first.paragraphs[0] = { text: '全年共立项{{projects}}个服务项目，其中已开展宣传活动{{acts}}场。', figures: [first.paragraphs[0].figures[0], { key: 'acts', label: '宣传教育活动', ledger: 'activities', measure: 'count', filters: { 活动类型: '宣传教育' } }] };
      first.paragraphs.splice(1, 1);
      t.achievements.reverse();
      const saved = await leader.put('/api/reports/annual/template', { area: 'JD', year: 2024, template: t });
      assert.equal(saved.status, 200, JSON.stringify(saved.body));
      const r = await leader.get('/api/reports/annual?area=JD&year=2024');
      const last = r.body.sections[r.body.sections.length - 1];
      assert.equal(last.title, '（一）加强政治建设，压紧压实党建责任', 'moved to the end');
      assert.equal(last.paragraphs[0].text, '全年共立项1个服务项目，其中已开展宣传活动0场。');
      assert.equal(last.paragraphs.length, 2);
      const broken = structuredClone(t);
      broken.achievements[0].paragraphs[0].figures.push({ key: 'x', label: '坏', ledger: 'activities', measure: 'sum:活动名称' });
      assert.equal((await leader.put('/api/reports/annual/template', { area: 'JD', year: 2024, template: broken })).status, 400);
      const dangling = structuredClone(t);
      dangling.achievements[0].paragraphs[0].text += '{{nope}}';
      assert.equal((await leader.put('/api/reports/annual/template', { area: 'JD', year: 2024, template: dangling })).status, 400);
    });
  });
}
