/**
 * The CLI as a user runs it: demo, audit verify (and its failure after tampering), user and token
 * creation, backup and restore — on SQLite and, when configured, PostgreSQL.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { openStore } from '../src/store/db.ts';
import { dropAuditGuards } from '../src/store/dialect.ts';
import { dialects, freshDbUrl } from './helpers/db.ts';
import { recordKeyFile, recordTampered } from './helpers/test-run.ts';

const keyDir = mkdtempSync(join(tmpdir(), 'jiceng-cli-key-'));
recordKeyFile(join(keyDir, 'test.key'));

function jiceng(db: string, ...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/jiceng.mjs', ...args, '--db', db], {
    encoding: 'utf8',
    env: { ...process.env, JICENG_KEY_FILE: join(keyDir, 'test.key'), JICENG_ADMIN_PASSWORD: '' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

for (const dialect of dialects()) {
  describe(`CLI on ${dialect}`, () => {
    test('demo loads the trees and users; audit verify passes; tampering is named', async () => {
      const db = await freshDbUrl(dialect);
      recordTampered(db); // this test breaks the chain on purpose
      const demo = jiceng(db, 'demo', '--trees-only');
      assert.equal(demo.code, 0, demo.err);
      assert.match(demo.out, /区域：\d+/);
      const again = jiceng(db, 'demo', '--trees-only');
      assert.notEqual(again.code, 0, 'the demo refuses a non-empty database');
      assert.equal(jiceng(db, 'demo', '--if-empty', '--trees-only').code, 0);

      const ok = jiceng(db, 'audit', 'verify');
      assert.equal(ok.code, 0, ok.err);
      assert.match(ok.out, /审计日志完整/);

      const store = openStore(db);
      try {
        // The database refuses to change the log by itself …
        await assert.rejects(sql`update audit_log set detail = 'x' where seq = 10`.execute(store.db));
        await assert.rejects(sql`delete from audit_log where seq = 10`.execute(store.db));
        // … so a tamperer first removes the guards, then edits one entry.
        await dropAuditGuards(store.kind, store.db);
        await sql`update audit_log set after = ${'{"name":"改过"}'} where seq = 12`.execute(store.db);
      } finally {
        await store.close();
      }
      const changed = jiceng(db, 'audit', 'verify');
      assert.notEqual(changed.code, 0);
      assert.match(changed.err, /第12条/);

      const store2 = openStore(db);
      try {
        await sql`delete from audit_log where seq >= 12 and seq <= 12`.execute(store2.db);
      } finally {
        await store2.close();
      }
      const deleted = jiceng(db, 'audit', 'verify');
      assert.notEqual(deleted.code, 0);
      assert.match(deleted.err, /第12条/);
    });

    test('user create, token create, and password rules at the command line', async () => {
      const db = await freshDbUrl(dialect);
      assert.equal(jiceng(db, 'demo', '--trees-only').code, 0);
      const weak = jiceng(db, 'user', 'create', '--username', 'zhang', '--password', 'abc', '--role', 'clerk', '--area', 'DH-S02');
      assert.notEqual(weak.code, 0);
      assert.match(weak.err, /密码至少8位/);
      const made = jiceng(db, 'user', 'create', '--username', 'zhang', '--password', 'Zs!2026abc', '--role', 'clerk', '--area', 'DH-S02');
      assert.equal(made.code, 0, made.err);
      const badRole = jiceng(db, 'user', 'create', '--username', 'li', '--password', 'Zs!2026abc', '--role', 'boss', '--area', 'DH');
      assert.notEqual(badRole.code, 0);
      const token = jiceng(db, 'token', 'create', '--username', 'zhang');
      assert.equal(token.code, 0, token.err);
      assert.match(token.out.trim(), /^jct_[A-Za-z0-9_-]{40,}$/);
    });

    test('backup and restore bring back exactly the backed-up state', async () => {
      const db = await freshDbUrl(dialect);
      assert.equal(jiceng(db, 'demo', '--trees-only').code, 0);
      const file = join(mkdtempSync(join(tmpdir(), 'jiceng-bak-')), dialect === 'sqlite' ? 'b.db' : 'b.dump');
      const b = jiceng(db, 'backup', '--out', file);
      assert.equal(b.code, 0, b.err);
      assert.equal(jiceng(db, 'user', 'create', '--username', 'after', '--password', 'Zs!2026abc', '--role', 'viewer', '--area', 'DH').code, 0);
      const r = jiceng(db, 'restore', file);
      assert.equal(r.code, 0, r.err);
      const store = openStore(db);
      try {
        const after = await store.db.selectFrom('users').select('id').where('username', '=', 'after').executeTakeFirst();
        assert.equal(after, undefined, 'the user made after the backup is gone');
        const n = await store.db.selectFrom('areas').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
        assert.ok(Number(n.n) > 100);
      } finally {
        await store.close();
      }
      assert.equal(jiceng(db, 'audit', 'verify').code, 0);
    });
  });
}
