/**
 * The member register over HTTP: transfers with history so a branch's roster on a past date has
 * one answer, structure findings, age and standing statistics through the metric engine, and
 * reveals of masked numbers (a permission, audited).
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

for (const dialect of dialects()) {
  describe(`党员 on ${dialect}`, () => {
    let store: Store;
    let server: Running;
    let clerk: Client;
    let admin: Client;
    const ids: Record<string, number> = {};

    before(async () => {
      store = await freshStore(dialect);
      await smallStreet(store);
      server = await startServer(store);
      clerk = new Client(server.base);
      admin = new Client(server.base);
      await clerk.login('clerk', FIXTURE_PASSWORD);
      await admin.login('admin', FIXTURE_PASSWORD);
      // name, birth, joined, confirmed, branch
      const people: Array<[string, string, string, string | null, string]> = [
        ['甲', '1950-02-01', '1975-07-01', '1976-07-01', 'SQ1-ZB1'],
        ['乙', '1985-06-15', '2010-07-01', '2011-07-01', 'SQ1-ZB1'],
        ['丙', '1993-03-03', '2022-06-01', '2023-06-01', 'SQ1-ZB1'],
        ['丁', '1999-09-09', '2023-05-01', null, 'SQ1-ZB1'],
        ['戊', '1970-01-01', '2000-07-01', '2001-07-01', 'SQ2-ZB1'],
      ];
      for (const [i, [name, birth, joined, confirmed, org]] of people.entries()) {
        const r = await clerk.post('/api/ledgers/members/records', {
          姓名: name, 性别: '男', 公民身份号码: id(birth, 60 + i, true), 手机号码: `1391234000${i}`, 所在党组织编码: org,
          人员类别: confirmed ? '正式党员' : '预备党员', 入党日期: joined, ...(confirmed ? { 转正日期: confirmed } : {}),
        });
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.equal(r.body.birthDate, birth, '出生日期 comes from the 公民身份号码');
        assert.equal(r.body.status, '正常');
        ids[name] = r.body.id;
      }
    });
    after(async () => {
      await server.close();
      await store.close();
    });

    test('transfers keep history: the roster of a branch on a past date has one answer', async () => {
      const move = await clerk.post(`/api/members/${ids['乙']}/transfers`, { kind: 'between', date: '2023-08-01', toOrg: 'SQ2-ZB1' });
      assert.equal(move.status, 200, JSON.stringify(move.body));
      const out = await clerk.post(`/api/members/${ids['甲']}/transfers`, { kind: 'out', date: '2024-03-01', outsideUnit: '某区机关工委' });
      assert.equal(out.status, 200);
      const names = async (org: string, date: string) => (await clerk.get(`/api/orgs/${org}/roster?date=${date}`)).body.items.map((m: { name: string; category: string }) => `${m.name}${m.category === '预备党员' ? '(预)' : ''}`).sort();
      assert.deepEqual(await names('SQ1-ZB1', '2023-06-30'), ['丁(预)', '丙', '乙', '甲']);
      assert.deepEqual(await names('SQ1-ZB1', '2023-05-31'), ['丁(预)', '丙(预)', '乙', '甲'], '丙 converts only on 06-01');
      assert.deepEqual(await names('SQ1-ZB1', '2023-04-30'), ['丙(预)', '乙', '甲'], '丁 joined on 05-01');
      assert.deepEqual(await names('SQ1-ZB1', '2023-08-01'), ['丁(预)', '丙', '甲']);
      assert.deepEqual(await names('SQ2-ZB1', '2023-08-01'), ['乙', '戊']);
      assert.deepEqual(await names('SQ1-ZB1', '2024-03-01'), ['丁(预)', '丙']);
      const history = await clerk.get(`/api/members/${ids['乙']}/transfers`);
      assert.deepEqual(history.body.items.map((t: { kind: string; from: string; to: string }) => [t.kind, t.from, t.to]), [['between', 'SQ1-ZB1', 'SQ2-ZB1']]);
      const earlier = await clerk.post(`/api/members/${ids['乙']}/transfers`, { kind: 'between', date: '2023-07-01', toOrg: 'SQ1-ZB1' });
      assert.equal(earlier.status, 400, 'a transfer before the last one is refused');
      const me = await clerk.get(`/api/ledgers/members/records/${ids['甲']}`);
      assert.equal(me.body.status, '已转出');
    });

    test('branch structure findings: fewer than 3 full members (支部工作条例 ch. 2)', async () => {
      const s = await clerk.get('/api/members/structure?asOf=2023-06-30');
      const by = Object.fromEntries(s.body.items.map((b: { org: string }) => [b.org, b]));
      assert.deepEqual([by['SQ1-ZB1'].full, by['SQ1-ZB1'].probationary, by['SQ1-ZB1'].findings.length], [3, 1, 0]);
      assert.deepEqual([by['SQ2-ZB1'].full, by['SQ2-ZB1'].findings.length], [1, 1]);
      assert.match(by['SQ2-ZB1'].findings[0].message, /不足3人/);
      assert.deepEqual([by['CUN1-ZB1'].full, by['CUN1-ZB1'].findings.length], [0, 1]);
    });

    test('age and standing (党龄) structure through the metric engine', async () => {
      const q = (groupBy: string) => clerk.get(`/api/metrics/query?${new URLSearchParams({ ledger: 'members', groupBy, to: '2023-12-31' })}`);
      const age = await q('age:出生日期');
      assert.equal(age.status, 200, JSON.stringify(age.body));
      // On 2023-12-31: 甲 73, 乙 38, 丙 30, 丁 24, 戊 53.
      assert.deepEqual(age.body.groups.map((g: { label: string; value: number }) => [g.label, g.value]), [['30岁及以下', 2], ['36至40岁', 1], ['51至55岁', 1], ['61岁及以上', 1]]);
      const standing = await q('years:转正日期');
      // From 转正日期 (党章 art. 7): 甲 47, 乙 12, 丙 0, 戊 22; 丁 has none yet.
      assert.deepEqual(standing.body.groups.map((g: { key: string; value: number }) => [g.key, g.value]), [['', 1], ['00-05', 1], ['11-20', 1], ['21-30', 1], ['41-50', 1]]);
      const gender = await clerk.get('/api/metrics/query?ledger=members&groupBy=gender');
      assert.deepEqual(gender.body.groups, [{ key: '男', label: '男', value: 5 }]);
    });

    test('7 or more full members need a committee (支部工作条例 ch. 6); a committee is dated', async () => {
      for (let i = 0; i < 7; i++) {
        const r = await clerk.post('/api/ledgers/members/records', { 姓名: `村党员${i}`, 性别: '男', 公民身份号码: id('1960-01-01', 100 + i, true), 所在党组织编码: 'CUN1-ZB1', 人员类别: '正式党员', 入党日期: '1990-07-01', 转正日期: '1991-07-01' });
        assert.equal(r.status, 200);
      }
      const finding = async (date: string) => (await clerk.get(`/api/members/structure?asOf=${date}`)).body.items.find((b: { org: string }) => b.org === 'CUN1-ZB1');
      assert.match((await finding('2024-01-01')).findings[0].message, /应当成立支部委员会/);
      assert.equal((await clerk.post('/api/orgs/CUN1-ZB1/committees', { establishedOn: '2024-05-10', members: 2 })).status, 400, 'a committee has 3 to 5 (at most 7) members');
      const made = await clerk.post('/api/orgs/CUN1-ZB1/committees', { establishedOn: '2024-05-10', members: 5 });
      assert.equal(made.status, 200, JSON.stringify(made.body));
      assert.equal((await finding('2024-05-09')).findings.length, 1);
      assert.deepEqual([(await finding('2024-05-10')).findings.length, (await finding('2024-05-10')).hasCommittee], [0, true]);
      assert.equal((await clerk.post('/api/orgs/SQ1-DW/committees', { establishedOn: '2024-05-10', members: 5 })).status, 400, 'only a 党支部');
    });

    test('masked everywhere; a reveal needs the permission and is audited without the value', async () => {
      const rec = await clerk.get(`/api/ledgers/members/records/${ids['丙']}`);
      assert.match(rec.body.idNumber, /^1101\*{10}/);
      assert.equal(rec.body.phone, '139****0002');
      const denied = await clerk.post(`/api/ledgers/members/records/${ids['丙']}/reveal`, { field: 'idNumber' });
      assert.equal(denied.status, 403);
      const shown = await admin.post(`/api/ledgers/members/records/${ids['丙']}/reveal`, { field: '公民身份号码' });
      assert.equal(shown.status, 200);
      assert.equal(shown.body.value, id('1993-03-03', 62, true));
      const audit = await admin.get(`/api/audit?action=reveal&entity=members&entityId=${ids['丙']}`);
      assert.equal(audit.body.total, 1);
      assert.ok(!JSON.stringify(audit.body).includes(shown.body.value), 'the audit entry names the field, not the number');
    });
  });
}
