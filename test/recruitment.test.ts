/**
 * 发展党员 and the member register over HTTP: guarded steps refused with their article, the
 * live check, findings from imported history, board and reminders; member files with bad rows.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { idCheckChar } from '../src/domain/id-number.ts';
import type { Store } from '../src/store/db.ts';
import { dialects, freshStore } from './helpers/db.ts';
import { FIXTURE_PASSWORD, smallStreet } from './helpers/fixtures.ts';
import { Client, startServer, type Running } from './helpers/http.ts';

function id(birth: string, seq: number, male: boolean): string {
  const s = String(seq * 2 + (male ? 1 : 0)).padStart(3, '0').slice(-3);
  const body = `110105${birth.replace(/-/g, '')}${s}`;
  return body + idCheckChar(body);
}

async function upload(c: Client, path: string, name: string, text: string) {
  const fd = new FormData();
  fd.append('file', new Blob([Buffer.from(text)]), name);
  return c.request('POST', path, fd);
}

for (const dialect of dialects()) {
  describe(`发展党员 on ${dialect}`, () => {
    let store: Store;
    let server: Running;
    let c: Client;
    const mentors: number[] = [];
    let probationary = 0;

    before(async () => {
      store = await freshStore(dialect);
      await smallStreet(store);
      server = await startServer(store);
      c = new Client(server.base);
      await c.login('clerk', FIXTURE_PASSWORD);
      for (const [i, name] of ['王建国', '李秀英', '张伟'].entries()) {
        const m = await c.post('/api/ledgers/members/records', { 姓名: name, 性别: i === 1 ? '女' : '男', 公民身份号码: id('1970-03-0' + (i + 1), 10 + i, i !== 1), 所在党组织编码: 'SQ1-ZB1', 人员类别: '正式党员', 入党日期: '1995-07-01', 转正日期: '1996-07-01' });
        assert.equal(m.status, 200, JSON.stringify(m.body));
        mentors.push(m.body.id);
      }
      const p = await c.post('/api/ledgers/members/records', { 姓名: '赵磊', 性别: '男', 公民身份号码: id('1998-05-05', 20, true), 所在党组织编码: 'SQ1-ZB1', 人员类别: '预备党员', 入党日期: '2023-01-01' });
      assert.equal(p.status, 200, JSON.stringify(p.body));
      probationary = p.body.id;
    });
    after(async () => {
      await server.close();
      await store.close();
    });

    test('a person goes through the steps; a step too early is refused with its reason and article', async () => {
      const a = await c.post('/api/ledgers/applicants/records', { 姓名: '陈晨', 性别: '女', 公民身份号码: id('2000-02-02', 30, false), 所在党组织编码: 'SQ1-ZB1', 申请入党日期: '2022-01-10' });
      assert.equal(a.status, 200, JSON.stringify(a.body));
      const pid = a.body.id;
      const step = (code: string, date: string, data?: unknown) => c.post(`/api/recruitment/${pid}/steps`, { code, date, ...(data ? { data } : {}) });
      assert.equal((await step('talk', '2022-01-20')).status, 200);
      assert.equal((await step('activist', '2022-03-01')).status, 200);
      const badMentor = await step('mentors', '2022-03-05', { memberIds: [mentors[0], probationary] });
      assert.equal(badMentor.status, 400);
      assert.match(badMentor.body.error.message, /须为正式党员.*第九条/);
      assert.equal((await step('mentors', '2022-03-05', { memberIds: [mentors[0], mentors[1]] })).status, 200);

      const check = await c.post(`/api/recruitment/${pid}/steps/check`, { code: 'candidate', date: '2023-02-28' });
      assert.equal(check.body.ok, false);
      assert.equal(check.body.violations[0].code, 'TOO_EARLY');
      assert.equal(check.body.violations[0].citation.article, '第十三条');
      const early = await step('candidate', '2023-02-28');
      assert.equal(early.status, 400);
      assert.match(early.body.error.message, /一年以上.*2023-03-01.*第十三条/);
      const ok = await step('candidate', '2023-03-01');
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.equal(ok.body.timeline.stage, 'candidate');
      assert.equal(ok.body.timeline.applicant.candidateOn, '2023-03-01', 'the ledger milestone follows the step');
      const next = ok.body.timeline.due.map((d: { code: string }) => d.code);
      for (const code of ['sponsors', 'politicalReview', 'training', 'publicNotice']) assert.ok(next.includes(code), code);

      const board = await c.get('/api/recruitment/board');
      assert.deepEqual(board.body.items.filter((b: { org: string }) => b.org === 'SQ1-ZB1'), [{ org: 'SQ1-ZB1', orgName: '一社区第一党支部', stage: 'candidate', count: 1 }]);
      const audit = await (async () => {
        const admin = new Client(server.base);
        await admin.login('admin', FIXTURE_PASSWORD);
        return admin.get(`/api/audit?entity=recruitment_step&entityId=${pid}`);
      })();
      assert.equal(audit.body.total, 4, 'talk, activist, mentors, candidate');
    });

    test('a late talk is recorded and kept as a finding; reminders list what is due', async () => {
      const a = await c.post('/api/ledgers/applicants/records', { 姓名: '周敏', 性别: '女', 公民身份号码: id('1999-09-09', 31, false), 所在党组织编码: 'SQ1-ZB1', 申请入党日期: '2024-01-02' });
      const late = await c.post(`/api/recruitment/${a.body.id}/steps`, { code: 'talk', date: '2024-03-01' });
      assert.equal(late.status, 200);
      assert.equal(late.body.warnings[0].code, 'TALK_LATE');
      const rec = await c.get(`/api/ledgers/applicants/records/${a.body.id}`);
      assert.match(rec.body.findings[0].message, /1个月内.*第七条/);
      const fresh = await c.post('/api/ledgers/applicants/records', { 姓名: '吴昊', 性别: '男', 公民身份号码: id('1997-07-07', 32, true), 所在党组织编码: 'SQ1-ZB1', 申请入党日期: '2024-05-06' });
      const rem = await c.get('/api/recruitment/reminders?asOf=2024-05-20');
      const mine = rem.body.items.find((x: { applicantId: number }) => x.applicantId === fresh.body.id);
      assert.equal(mine.action.code, 'talk');
      assert.equal(mine.action.latest, '2024-06-06');
    });

    test('historic import: impossible orders and under-18 applicants are row errors, short intervals warnings kept as findings', async () => {
      const head = '姓名,性别,公民身份号码,所在党组织编码,申请入党日期,确定积极分子日期,确定发展对象日期,支部大会接收日期,上级党委批准日期,转正日期';
      const rows = [
        `孙丽,女,${id('1990-01-01', 40, false)},SQ1-ZB1,2015-03-01,2015-09-01,2016-03-01,2016-06-01,2016-07-01,2017-05-01`,
        `钱勇,男,${id('1990-01-02', 41, true)},SQ1-ZB1,2015-03-01,2015-09-01,2016-10-01,2016-12-01,2016-11-01,`,
        `郑洁,女,${id('2000-06-01', 42, false)},SQ1-ZB1,2018-05-31,,,,,`,
        `冯涛,男,${id('1991-01-03', 43, true)},SQ1-ZB1,2015-03-01,2015-09-01,2016-03-01,2016-06-01,2016-08-01,2017-06-01`,
      ];
      const r = await upload(c, '/api/imports/applicants', 'history.csv', [head, ...rows].join('\n'));
      assert.equal(r.status, 400);
      assert.deepEqual(r.body.errors.map((e: { row: number; column: string }) => [e.row, e.column]), [[3, '上级党委批准日期'], [4, '申请入党日期']]);
      const fixed = [rows[0], rows[3]];
      const ok = await upload(c, '/api/imports/applicants', 'history2.csv', [head, ...fixed].join('\n'));
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      // Row 2: 6 months as activist, and 11 months of probation; row 3: 6 months as activist (its probation is exactly a year).
      assert.deepEqual(ok.body.warnings.map((w: { row: number; column: string }) => [w.row, w.column]), [[2, '确定发展对象日期'], [2, '转正日期'], [3, '确定发展对象日期']]);
      const list = await c.get(`/api/ledgers/applicants/records?${new URLSearchParams({ 'f.姓名': '孙丽' })}`);
      const rec = await c.get(`/api/ledgers/applicants/records/${list.body.items[0].id}`);
      assert.equal(rec.body.findings.length, 2);
      const timeline = await c.get(`/api/recruitment/${list.body.items[0].id}/timeline`);
      assert.equal(timeline.body.stage, 'member');
    });

    test('a members file with a wrong check digit, a duplicate person and an unknown branch is refused naming exactly those rows', async () => {
      const good = id('1980-08-08', 50, true);
      const wrong = `${good.slice(0, 17)}${good[17] === '1' ? '2' : '1'}`;
      const head = '姓名,性别,公民身份号码,民族,学历,手机号码,所在党组织编码,人员类别,入党日期,转正日期';
      const rows = [
        `甲,男,${good},汉族,大学本科,13800001111,SQ1-ZB1,正式党员,2005-07-01,2006-07-01`,
        `乙,男,${wrong},汉族,大学本科,,SQ1-ZB1,正式党员,2005-07-01,2006-07-01`,
        `丙,男,${good},汉族,大学本科,,SQ1-ZB1,正式党员,2005-07-01,2006-07-01`,
        `丁,女,${id('1981-01-01', 51, false)},汉族,高中,,NO-SUCH,正式党员,2005-07-01,2006-07-01`,
        `戊,女,${id('1982-02-02', 52, false)},汉族,高中,,SQ2-ZB1,预备党员,2023-07-01,`,
      ];
      const before = (await c.get('/api/metrics/query?ledger=members')).body.value;
      const r = await upload(c, '/api/imports/members', 'members.csv', [head, ...rows].join('\n'));
      assert.equal(r.status, 400);
      assert.deepEqual(r.body.errors.map((e: { row: number; column: string }) => [e.row, e.column]), [[3, '公民身份号码'], [4, '公民身份号码'], [5, '所在党组织编码']]);
      assert.equal((await c.get('/api/metrics/query?ledger=members')).body.value, before);
      const dup = await c.post('/api/ledgers/members/records', { 姓名: '王建国二', 性别: '男', 公民身份号码: id('1970-03-01', 10, true), 所在党组织编码: 'SQ1-ZB1', 人员类别: '正式党员', 入党日期: '1995-07-01', 转正日期: '1996-07-01' });
      assert.equal(dup.status, 409, 'one person, one record');
    });

    test('the raw database holds no plaintext 公民身份号码 or 手机号码', async () => {
      if (dialect !== 'sqlite') return;
      const { readFileSync } = await import('node:fs');
      store.sqlite!.pragma('wal_checkpoint(TRUNCATE)');
      const raw = readFileSync(store.file!).toString('latin1');
      for (const secret of [id('1970-03-01', 10, true), id('1998-05-05', 20, true), '13800001111']) assert.ok(!raw.includes(secret), secret);
    });
  });
}
