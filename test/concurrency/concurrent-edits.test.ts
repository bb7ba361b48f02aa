/**
 * 50 concurrent clients, each with its own signed-in session, half on an in-process server and
 * half on a `jiceng serve` child process on the same database (so SQLite's file lock is really
 * contended between processes):
 *  - editing the same three ledger records with `version`: no lost update (every accepted write
 *    is in the record's version history, the audit log, exactly once and in version order), stale
 *    writes answer 409 with a Chinese message, the final version is 1 + the accepted updates, and
 *    no busy/deadlock error (500, SQLITE_BUSY) reaches a user;
 *  - creating records and importing files at the same time: the counts add up.
 * SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Kysely } from 'kysely';
import { createUser } from '../../src/store/auth.ts';
import type { Store } from '../../src/store/db.ts';
import { WHOLE_DATABASE } from '../../src/store/scope.ts';
import { SYSTEM_ACTOR, withWrite } from '../../src/store/unit-of-work.ts';
import { startServe } from '../helpers/cli.ts';
import { dialects, freshStore } from '../helpers/db.ts';
import { FIXTURE_PASSWORD, smallStreet } from '../helpers/fixtures.ts';
import { Client, startServer, type Answer, type Running } from '../helpers/http.ts';
import { newLogFile } from '../helpers/test-run.ts';

const CLIENTS = 50;
const ROUNDS = 3;

function describeAnswer(a: Answer): string {
  return `${a.status} ${typeof a.body === 'string' ? a.body.slice(0, 200) : JSON.stringify(a.body).slice(0, 300)}`;
}

/** Anything but 200 and 409 is a failure a user would see (busy, deadlock, 500). */
function assertNoServerTrouble(a: Answer, what: string) {
  assert.ok(a.status === 200 || a.status === 409, `${what}: ${describeAnswer(a)}`);
  assert.ok(!/SQLITE_BUSY|database is locked|deadlock/i.test(JSON.stringify(a.body)), `${what}: ${describeAnswer(a)}`);
}

for (const dialect of dialects()) {
  describe(`concurrent clients on ${dialect}`, () => {
    let store: Store;
    let inProcess: Running;
    let child: Awaited<ReturnType<typeof startServe>>;
    const clients: Client[] = [];

    before(async () => {
      store = await freshStore(dialect);
      await smallStreet(store);
      await withWrite(store, SYSTEM_ACTOR, async (w) => {
        for (let i = 0; i < CLIENTS; i++) await createUser(w, WHOLE_DATABASE, { username: `cc${i}`, role: 'clerk', areaCode: 'JD', password: FIXTURE_PASSWORD });
      });
      inProcess = await startServer(store);
      const log = newLogFile('concurrency-serve');
      child = await startServe(store.file ?? store.pgUrl!, { JICENG_KEY_FILE: process.env.JICENG_KEY_FILE ?? `${store.file}.key`, ...(log ? { JICENG_LOG_FILE: log } : {}) });
      // 25 sign-ins per server stay within the per-address sign-in rate (30 a minute).
      for (let i = 0; i < CLIENTS; i++) {
        const c = new Client(i % 2 === 0 ? inProcess.base : child.base);
        const r = await c.login(`cc${i}`, FIXTURE_PASSWORD);
        assert.equal(r.status, 200, describeAnswer(r));
        clients.push(c);
      }
    });

    after(async () => {
      child?.child.kill('SIGTERM');
      await child?.output;
      await inProcess?.close();
      await store?.close();
    });

    test('50 clients edit the same 3 records: no lost update, stale writes get 409, versions add up', async () => {
      const ids: number[] = [];
      for (let k = 0; k < 3; k++) {
        const r = await clients[0]!.post('/api/ledgers/activities/records', { date: '2024-06-01', type: '志愿服务', name: `共享记录${k}`, area: 'SQ1', participants: 1 });
        assert.equal(r.status, 200, describeAnswer(r));
        ids.push(r.body.id);
      }
      const accepted = new Map<number, Array<{ name: string; version: number }>>(ids.map((id) => [id, []]));
      let conflicts = 0;
      await Promise.all(
        clients.map(async (c, i) => {
          for (let round = 0; round < ROUNDS; round++) {
            const id = ids[(i + round) % ids.length]!;
            const read = await c.get(`/api/ledgers/activities/records/${id}`);
            assert.equal(read.status, 200, describeAnswer(read));
            const name = `客户${i}第${round}次`;
            const w = await c.patch(`/api/ledgers/activities/records/${id}`, { name, participants: i + 1, version: read.body.version });
            assertNoServerTrouble(w, `client ${i} round ${round}`);
            if (w.status === 200) {
              assert.equal(w.body.version, read.body.version + 1);
              accepted.get(id)!.push({ name, version: w.body.version });
            } else {
              conflicts++;
              assert.equal(w.body.error.code, 'CONFLICT');
              assert.match(w.body.error.message, /[\u4e00-\u9fff]/, 'a Chinese message');
            }
          }
        }),
      );
      let total = 0;
      for (const id of ids) {
        const mine = accepted.get(id)!;
        total += mine.length;
        const final = await clients[1]!.get(`/api/ledgers/activities/records/${id}`);
        assert.equal(final.body.version, 1 + mine.length, `record ${id}: version = 1 + accepted updates`);
        // The version history (the audit log's update entries) holds every accepted write once,
        // in version order, each starting from the version before it.
        const history = await store.db.selectFrom('audit_log').select(['seq', 'before', 'after']).where('action', '=', 'update').where('entity', '=', 'activities').where('entity_id', '=', String(id)).orderBy('seq').execute();
        assert.equal(history.length, mine.length);
        history.forEach((h, n) => {
          const b = JSON.parse(h.before!) as { version: number };
          const a = JSON.parse(h.after!) as { version: number; name: string };
          assert.equal(b.version, n + 1);
          assert.equal(a.version, n + 2);
        });
        for (const m of mine) {
          const entry = history.map((h) => JSON.parse(h.after!) as { version: number; name: string }).find((a) => a.version === m.version);
          assert.equal(entry?.name, m.name, `record ${id}: the write that made version ${m.version} is in its history`);
        }
        assert.equal(final.body.name, mine.find((m) => m.version === final.body.version)?.name, 'the last accepted write is what the record shows');
      }
      assert.equal(total + conflicts, CLIENTS * ROUNDS);
      assert.ok(total >= 3 && conflicts > 0, `some writes won, some were stale (accepted ${total}, conflicts ${conflicts})`);
    });

    test('50 clients create records and import files at the same time: the counts add up', async () => {
      const count = async () => Number((await (store.db as unknown as Kysely<any>).selectFrom('lg_activities').where('deleted_at', 'is', null).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
      const before = await count();
      let created = 0;
      let imported = 0;
      await Promise.all(
        clients.map(async (c, i) => {
          if (i % 5 === 4) {
            // Every fifth client imports a file of 30 rows of its own.
            const lines = ['日期,活动类型,活动名称,区域编码,主办党组织编码,参与人数'];
            for (let r = 0; r < 30; r++) lines.push(`2024-07-${String(1 + (r % 28)).padStart(2, '0')},主题活动,导入${i}-${r},SQ1,SQ1-ZB1,${r + 1}`);
            const form = new FormData();
            form.append('file', new Blob([`${lines.join('\n')}\n`], { type: 'text/csv' }), `c${i}.csv`);
            const r = await c.request('POST', '/api/imports/activities', form);
            assert.equal(r.status, 200, `import of client ${i}: ${describeAnswer(r)}`);
            imported += r.body.inserted;
          } else {
            for (let n = 0; n < 3; n++) {
              const r = await c.post('/api/ledgers/activities/records', { date: '2024-08-01', type: '志愿服务', name: `新建${i}-${n}`, area: 'SQ2', participants: n + 1 });
              assert.equal(r.status, 200, `create of client ${i}: ${describeAnswer(r)}`);
              created++;
            }
          }
        }),
      );
      assert.equal(imported, 10 * 30);
      assert.equal(created, 40 * 3);
      assert.equal(await count(), before + created + imported);
      const byApi = await clients[0]!.get('/api/ledgers/activities/records?pageSize=1');
      assert.equal(byApi.body.total, before + created + imported);
    });
  });
}
