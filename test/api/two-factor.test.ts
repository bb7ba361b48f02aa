/**
 * Two-factor sign-in (CONTRACTS §1 JICENG_ADMIN_TOTP_SECRET and `--totp-secret`, §2 `totp`,
 * TOTP_REQUIRED / TOTP_INVALID, enrolment, POST /api/auth/totp/confirm) under the default security
 * policy, which requires it of admin, leader, sysadmin, secadmin and auditor (等保 身份鉴别 d).
 * Real servers on SQLite and PostgreSQL; codes are computed with the otpauth library, as an
 * authenticator app would.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { Secret } from 'otpauth';
import { DEMO_PASSWORD } from '../../src/demo/demo.ts';
import { createUser } from '../../src/store/auth.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { WHOLE_DATABASE } from '../../src/store/scope.ts';
import { enrolWithSecret } from '../../src/store/two-factor.ts';
import { SYSTEM_ACTOR, withWrite } from '../../src/store/unit-of-work.ts';
import { dialects, freshDbUrl, freshStore } from '../helpers/db.ts';
import { FIXTURE_PASSWORD, smallStreet } from '../helpers/fixtures.ts';
import { Client, startServer, type Answer, type Running } from '../helpers/http.ts';
import { nextTotpCode, totpCode } from '../helpers/totp.ts';

const HAN = /[\u4e00-\u9fff]/;
const ROOT = new URL('../../', import.meta.url).pathname;

function show(a: Answer): string {
  return `${a.status} ${typeof a.body === 'string' ? a.body.slice(0, 200) : JSON.stringify(a.body)}`;
}

function assertError(a: Answer, status: number, code: string) {
  assert.equal(a.status, status, show(a));
  assert.equal(a.body?.error?.code, code, show(a));
  assert.match(a.body.error.message, HAN, `a Chinese message: ${a.body.error.message}`);
}

function newSecret(): string {
  return new Secret({ size: 20 }).base32;
}

async function signIn(base: string, username: string, totp?: string, password = FIXTURE_PASSWORD): Promise<{ c: Client; r: Answer }> {
  const c = new Client(base);
  const r = await c.post('/api/auth/login', { username, password, ...(totp !== undefined ? { totp } : {}) });
  if (r.status === 200) c.csrf = r.body.csrfToken;
  return { c, r };
}

/** Signs in, enrols through the API and confirms with a code: the user's client, secret and recovery codes. */
async function enrol(base: string, username: string): Promise<{ c: Client; secret: string; recoveryCodes: string[] }> {
  const { c, r } = await signIn(base, username);
  assert.equal(r.status, 200, show(r));
  const secret = (r.body.enrollment?.secret ?? (await c.post('/api/auth/totp/enroll')).body.secret) as string;
  const done = await c.post('/api/auth/totp/confirm', { code: totpCode(secret) });
  assert.equal(done.status, 200, show(done));
  return { c, secret, recoveryCodes: done.body.recoveryCodes };
}

function jiceng(db: string, env: Record<string, string>, ...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/jiceng.mjs', ...args, '--db', db], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, JICENG_ADMIN_PASSWORD: '', ...env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

for (const dialect of dialects()) {
  describe(`two-factor sign-in on ${dialect}`, () => {
    let store: Store;
    const servers: Running[] = [];

    async function serve(): Promise<string> {
      const s = await startServer(store);
      servers.push(s);
      return s.base;
    }

    before(async () => {
      store = await freshStore(dialect);
      await smallStreet(store);
      // The fixture switches two-factor off; these tests run under the shipped default policy.
      await store.db.deleteFrom('settings').where('key', '=', 'security').execute();
      await withWrite(store, SYSTEM_ACTOR, async (w) => {
        for (const [username, role] of [
          ['secadmin', 'secadmin'],
          ['secadmin2', 'secadmin'],
          ['auditor', 'auditor'],
          ['sysadmin', 'sysadmin'],
          ['leader2', 'leader'],
          ['leader3', 'leader'],
          ['leader4', 'leader'],
          ['clerk2', 'clerk'],
          ['clerk3', 'clerk'],
        ] as const) {
          await createUser(w, WHOLE_DATABASE, { username, role, areaCode: 'JD', password: FIXTURE_PASSWORD });
        }
      });
    });

    after(async () => {
      for (const s of servers) await s.close();
      await store?.close();
    });

    test('required roles (admin, leader, sysadmin, secadmin, auditor) sign in only to enrol; clerk and grid are not required', async () => {
      const base = await serve();
      for (const username of ['admin', 'leader', 'sysadmin', 'secadmin', 'auditor']) {
        const { c, r } = await signIn(base, username);
        assert.equal(r.status, 200, `${username}: ${show(r)}`);
        assert.deepEqual(r.body.twoFactor, { enrolled: false, required: true }, username);
        assert.match(r.body.enrollment?.secret ?? '', /^[A-Z2-7]{32}$/, `${username}: a 160-bit base32 secret`);
        const url = new URL(r.body.enrollment.otpauthUrl);
        assert.equal(url.protocol, 'otpauth:');
        assert.equal(url.host, 'totp');
        assert.equal(url.searchParams.get('secret'), r.body.enrollment.secret);
        assert.equal(url.searchParams.get('algorithm'), 'SHA1');
        assert.equal(url.searchParams.get('digits'), '6');
        assert.equal(url.searchParams.get('period'), '30');
        assert.ok(decodeURIComponent(url.pathname).endsWith(`:${username}`), url.pathname);
        // Everything but enrolment is closed, with a Chinese message.
        assertError(await c.get('/api/areas'), 403, 'TOTP_ENROLLMENT_REQUIRED');
        assertError(await c.get('/api/users'), 403, 'TOTP_ENROLLMENT_REQUIRED');
        assertError(await c.post('/api/tokens', {}), 403, 'TOTP_ENROLLMENT_REQUIRED');
        assertError(await c.put('/api/settings/security', { passwordMinLength: 8 }), 403, 'TOTP_ENROLLMENT_REQUIRED');
        const me = await c.get('/api/auth/me');
        assert.equal(me.status, 200, 'who am I still answers');
        assert.deepEqual(me.body.twoFactor, { enrolled: false, required: true });
        assert.equal((await c.get('/api/auth/totp')).status, 200);
        // A reload shows the same secret (the QR code scanned a moment ago stays valid).
        const again = await c.post('/api/auth/totp/enroll');
        assert.equal(again.status, 200, show(again));
        assert.equal(again.body.secret, r.body.enrollment.secret);
        assert.equal((await c.post('/api/auth/logout')).status, 200, 'sign-out works too');
      }
      for (const username of ['clerk', 'grid']) {
        const { c, r } = await signIn(base, username);
        assert.equal(r.status, 200, show(r));
        assert.deepEqual(r.body.twoFactor, { enrolled: false, required: false });
        assert.equal(r.body.enrollment, undefined, `${username} is not asked to enrol`);
        assert.equal((await c.get('/api/areas')).status, 200);
      }
      // A token (made at the command line for scripts) is not a session: it is not held at enrolment.
    });

    test('enrol and confirm: a wrong code is refused, the right one returns 10 recovery codes once, rotates the session and opens the API', async () => {
      const base = await serve();
      const { c, r } = await signIn(base, 'leader');
      const secret = r.body.enrollment.secret as string;
      const before = c.cookie;
      assertError(await c.post('/api/auth/totp/confirm', { code: '12345' }), 400, 'VALIDATION_FAILED');
      const wrong = String((Number(totpCode(secret)) + 500_000) % 1_000_000).padStart(6, '0');
      assertError(await c.post('/api/auth/totp/confirm', { code: wrong }), 400, 'VALIDATION_FAILED');
      assertError(await c.get('/api/areas'), 403, 'TOTP_ENROLLMENT_REQUIRED');

      const code = totpCode(secret);
      const done = await c.post('/api/auth/totp/confirm', { code });
      assert.equal(done.status, 200, show(done));
      const codes = done.body.recoveryCodes as string[];
      assert.equal(codes.length, 10);
      assert.equal(new Set(codes).size, 10);
      for (const rc of codes) assert.match(rc, /^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
      assert.notEqual(c.cookie, before, 'a fresh session id once the session rests on two factors');
      assert.equal((await new Client(base).request('GET', '/api/auth/me', undefined, { cookie: before! })).status, 401, 'the old id ended');
      assert.equal((await c.get('/api/areas')).status, 200, 'the API is open');
      const status = await c.get('/api/auth/totp');
      assert.equal(status.body.enrolled, true);
      assert.equal(status.body.recoveryCodesLeft, 10);
      assertError(await c.post('/api/auth/totp/enroll'), 409, 'CONFLICT');

      // The code used to confirm cannot sign in again; the secret and codes are stored only encrypted or hashed.
      assertError((await signIn(base, 'leader', code)).r, 401, 'TOTP_INVALID');
      const row = await store.db.selectFrom('users').selectAll().where('username', '=', 'leader').executeTakeFirstOrThrow();
      assert.ok(row.totp_secret_enc && !row.totp_secret_enc.includes(secret), 'the secret is encrypted');
      assert.equal(store.cipher.decrypt(row.totp_secret_enc), secret);
      assert.equal(row.totp_pending_enc, null);
      const stored = JSON.stringify(await store.db.selectFrom('recovery_codes').selectAll().where('user_id', '=', row.id).execute());
      for (const rc of codes) {
        assert.ok(!stored.includes(rc) && !stored.includes(rc.replace(/-/g, '')), 'recovery codes are stored hashed');
      }
      const audit = JSON.stringify(await store.db.selectFrom('audit_log').selectAll().execute());
      assert.ok(!audit.includes(secret), 'the secret is never in the audit log');
      for (const rc of codes) assert.ok(!audit.includes(rc), 'nor the recovery codes');
      const enrolled = await store.db.selectFrom('audit_log').select('detail').where('action', '=', 'two_factor').where('entity_id', '=', 'leader').execute();
      assert.ok(enrolled.some((e) => e.detail?.includes('"enrolled"')), 'the enrolment is audited');
    });

    test('an enrolled user: TOTP_REQUIRED without a code, TOTP_INVALID for a wrong one, each code accepted once, one step of drift allowed', async () => {
      const base = await serve();
      const { secret } = await enrol(base, 'leader2');
      const none = await signIn(base, 'leader2');
      assertError(none.r, 401, 'TOTP_REQUIRED');
      assert.equal(none.c.cookie, null, 'no session without the code');
      const wrongPassword = await signIn(base, 'leader2', undefined, 'Wrong#2026pw');
      assertError(wrongPassword.r, 401, 'INVALID_CREDENTIALS');
      const wrong = String((Number(totpCode(secret)) + 1) % 1_000_000).padStart(6, '0');
      assertError((await signIn(base, 'leader2', wrong)).r, 401, 'TOTP_INVALID');
      assertError((await signIn(base, 'leader2', '12ab56')).r, 401, 'TOTP_INVALID');

      // The next step's code (clock drift of +30 s) is accepted, once.
      const code = nextTotpCode(secret);
      const ok = await signIn(base, 'leader2', code);
      assert.equal(ok.r.status, 200, show(ok.r));
      assert.equal(ok.r.body.enrollment, undefined);
      assert.deepEqual(ok.r.body.twoFactor, { enrolled: true, required: true });
      assert.equal((await ok.c.get('/api/areas')).status, 200);
      const replay = await signIn(base, 'leader2', code);
      assertError(replay.r, 401, 'TOTP_INVALID');
      assert.match(replay.r.body.error.message, /已使用过/);
      // An earlier step's code is refused too: steps only go forward.
      assertError((await signIn(base, 'leader2', totpCode(secret, Date.now() - 30_000))).r, 401, 'TOTP_INVALID');
      // Three steps ahead lies outside the drift window.
      assertError((await signIn(base, 'leader2', totpCode(secret, Date.now() + 90_000))).r, 401, 'TOTP_INVALID');
      // The password is checked first: a right code with a wrong password is no success.
      const login = await store.db.selectFrom('audit_log').select('detail').where('action', '=', 'login').where('entity_id', '=', 'leader2').orderBy('seq', 'desc').executeTakeFirstOrThrow();
      assert.match(login.detail ?? '', /"secondFactor":"totp"/);
      // Codes sent in parallel: exactly one sign-in succeeds with a fresh code.
      await store.db.updateTable('users').set({ failed_logins: 0 }).where('username', '=', 'leader2').execute();
      const fresh = totpCode(secret, Date.now() + 30_000);
      const lastStep = (await store.db.selectFrom('users').select('totp_last_step').where('username', '=', 'leader2').executeTakeFirstOrThrow()).totp_last_step!;
      if (Math.floor((Date.now() + 30_000) / 30_000) > lastStep) {
        const parallel = await Promise.all([1, 2, 3].map(() => signIn(base, 'leader2', fresh)));
        assert.equal(parallel.filter((p) => p.r.status === 200).length, 1, parallel.map((p) => show(p.r)).join(' | '));
      }
    });

    test('a recovery code signs in in place of the code, once; regenerating needs a current code and voids the old ones', async () => {
      const base = await serve();
      const { c, secret, recoveryCodes } = await enrol(base, 'leader3');
      const first = recoveryCodes[0]!;
      const used = await signIn(base, 'leader3', first.toLowerCase().replace(/-/g, ' '));
      assert.equal(used.r.status, 200, `typed in lower case with spaces: ${show(used.r)}`);
      assertError((await signIn(base, 'leader3', first)).r, 401, 'TOTP_INVALID');
      assert.equal((await used.c.get('/api/auth/totp')).body.recoveryCodesLeft, 9);
      assertError((await signIn(base, 'leader3', 'ABCD-EFGH-JKMN')).r, 401, 'TOTP_INVALID');

      assertError(await c.post('/api/auth/totp/recovery-codes', { code: '000000' }), 400, 'VALIDATION_FAILED');
      assertError(await c.post('/api/auth/totp/recovery-codes', { code: recoveryCodes[1]! }), 400, 'VALIDATION_FAILED');
      const fresh = await c.post('/api/auth/totp/recovery-codes', { code: nextTotpCode(secret) });
      assert.equal(fresh.status, 200, show(fresh));
      const next = fresh.body.recoveryCodes as string[];
      assert.equal(next.length, 10);
      assert.ok(!next.some((x) => recoveryCodes.includes(x)));
      assertError((await signIn(base, 'leader3', recoveryCodes[2]!)).r, 401, 'TOTP_INVALID');
      assert.equal((await signIn(base, 'leader3', next[0]!)).r.status, 200, 'a new code works');
      const events = await store.db.selectFrom('audit_log').select('detail').where('action', '=', 'two_factor').where('entity_id', '=', 'leader3').execute();
      assert.ok(events.some((e) => e.detail?.includes('recovery_codes_regenerated')));
      const audit = JSON.stringify(await store.db.selectFrom('audit_log').selectAll().execute());
      for (const rc of [...recoveryCodes, ...next]) assert.ok(!audit.includes(rc));
    });

    test('wrong codes count towards the lock-out like wrong passwords', async () => {
      const base = await serve();
      const { secret } = await enrol(base, 'leader4');
      assertError((await signIn(base, 'leader4', undefined, 'Wrong#2026a')).r, 401, 'INVALID_CREDENTIALS');
      assertError((await signIn(base, 'leader4', undefined, 'Wrong#2026b')).r, 401, 'INVALID_CREDENTIALS');
      const bad = String((Number(totpCode(secret)) + 3) % 1_000_000).padStart(6, '0');
      assertError((await signIn(base, 'leader4', bad)).r, 401, 'TOTP_INVALID');
      const fourth = await signIn(base, 'leader4', bad);
      assertError(fourth.r, 401, 'TOTP_INVALID');
      assert.match(fourth.r.body.error.message, /再失败1次/);
      const fifth = await signIn(base, 'leader4', 'ZZZZ-ZZZZ-ZZZZ');
      assertError(fifth.r, 401, 'TOTP_INVALID');
      assert.match(fifth.r.body.error.message, /锁定15分钟/);
      assertError((await signIn(base, 'leader4', nextTotpCode(secret))).r, 429, 'ACCOUNT_LOCKED');
      const failed = await store.db.selectFrom('audit_log').select('detail').where('action', '=', 'login_failed').where('entity_id', '=', 'leader4').execute();
      assert.ok(failed.filter((f) => /bad_totp|bad_recovery_code/.test(f.detail ?? '')).length >= 3, 'failed codes are audited');
      await store.db.updateTable('users').set({ locked_until: null, failed_logins: 0 }).where('username', '=', 'leader4').execute();
      assert.equal((await signIn(base, 'leader4', nextTotpCode(secret))).r.status, 200);
    });

    test('a security administrator resets a user\'s two-factor (audited): the user\'s sessions end and they enrol again', async () => {
      const base = await serve();
      const secSecret = newSecret();
      await withWrite(store, SYSTEM_ACTOR, (w) => enrolWithSecret(w, 'secadmin2', secSecret, 'test'));
      const sec = await signIn(base, 'secadmin2', totpCode(secSecret));
      assert.equal(sec.r.status, 200, show(sec.r));

      const { c: victim } = await enrol(base, 'auditor');
      assert.equal((await victim.get('/api/audit')).status, 200);
      const users = (await sec.c.get('/api/users')).body.items as Array<{ id: number; username: string; twoFactor: boolean }>;
      const auditor = users.find((u) => u.username === 'auditor')!;
      assert.equal(auditor.twoFactor, true, 'the user list shows who is enrolled');
      const reset = await sec.c.post(`/api/users/${auditor.id}/totp/reset`);
      assert.equal(reset.status, 200, show(reset));
      assert.equal(reset.body.user.twoFactor, false);
      assert.equal((await victim.get('/api/auth/me')).status, 401, 'the user\'s sessions ended');
      const again = await signIn(base, 'auditor');
      assert.equal(again.r.status, 200, show(again.r));
      assert.ok(again.r.body.enrollment, 'they enrol again');
      assert.equal(await store.db.selectFrom('recovery_codes').select('id').where('user_id', '=', auditor.id).executeTakeFirst(), undefined, 'recovery codes gone');
      const entry = await store.db.selectFrom('audit_log').selectAll().where('action', '=', 'two_factor').where('entity_id', '=', 'auditor').orderBy('seq', 'desc').executeTakeFirstOrThrow();
      assert.equal(entry.username, 'secadmin2');
      assert.match(entry.detail ?? '', /"reset"/);

      const me = (await sec.c.get('/api/auth/me')).body.user as { id: number };
      assertError(await sec.c.post(`/api/users/${me.id}/totp/reset`), 403, 'FORBIDDEN');
      const clerk = users.find((u) => u.username === 'clerk3')!;
      const plain = await signIn(base, 'clerk3');
      assertError(await plain.c.post(`/api/users/${clerk.id}/totp/reset`), 403, 'FORBIDDEN');
      assertError(await sec.c.post('/api/users/99999999/totp/reset'), 404, 'NOT_FOUND');
    });

    test('the security policy: the default two-factor roles cannot be removed through the API; roles can be added', async () => {
      const base = await serve();
      const { c: admin } = await enrol(base, 'sysadmin');
      const policy = await admin.get('/api/settings/security');
      assert.equal(policy.status, 200, show(policy));
      assert.deepEqual([...policy.body.twoFactorRoles].sort(), ['admin', 'auditor', 'leader', 'secadmin', 'sysadmin']);
      const { twoFactorRoles: _roles, ...numbers } = policy.body as Record<string, unknown>;
      for (const drop of ['admin', 'leader', 'sysadmin', 'secadmin', 'auditor']) {
        const roles = ['admin', 'leader', 'sysadmin', 'secadmin', 'auditor'].filter((r) => r !== drop);
        const r = await admin.put('/api/settings/security', { ...numbers, twoFactorRoles: roles });
        assertError(r, 400, 'VALIDATION_FAILED');
        assert.match(r.body.error.message, /不能取消/);
      }
      assertError(await admin.put('/api/settings/security', { ...numbers, twoFactorRoles: [] }), 400, 'VALIDATION_FAILED');
      const kept = await admin.put('/api/settings/security', numbers);
      assert.equal(kept.status, 200, `left out, the set stays: ${show(kept)}`);
      assert.equal(kept.body.twoFactorRoles.length, 5);
      const added = await admin.put('/api/settings/security', { ...numbers, twoFactorRoles: ['admin', 'leader', 'sysadmin', 'secadmin', 'auditor', 'clerk'] });
      assert.equal(added.status, 200, show(added));
      try {
        const clerk = await signIn(base, 'clerk2');
        assert.equal(clerk.r.status, 200);
        assert.deepEqual(clerk.r.body.twoFactor, { enrolled: false, required: true });
        assertError(await clerk.c.get('/api/areas'), 403, 'TOTP_ENROLLMENT_REQUIRED');
      } finally {
        await store.db.deleteFrom('settings').where('key', '=', 'security').execute();
      }
      const entry = await store.db.selectFrom('audit_log').select('after').where('action', '=', 'settings').orderBy('seq', 'desc').executeTakeFirstOrThrow();
      assert.match(entry.after ?? '', /clerk/, 'the change is audited');
    });

    test('a user whose role does not require it may enrol voluntarily, and then needs the code', async () => {
      const base = await serve();
      const { c, r } = await signIn(base, 'clerk3');
      assert.equal(r.body.enrollment, undefined);
      const started = await c.post('/api/auth/totp/enroll');
      assert.equal(started.status, 200, show(started));
      assert.equal((await c.get('/api/areas')).status, 200, 'a voluntary, unconfirmed enrolment closes nothing');
      assert.equal((await signIn(base, 'clerk3')).r.status, 200, 'not enrolled until confirmed');
      const done = await c.post('/api/auth/totp/confirm', { code: totpCode(started.body.secret) });
      assert.equal(done.status, 200, show(done));
      assertError((await signIn(base, 'clerk3')).r, 401, 'TOTP_REQUIRED');
      assert.equal((await signIn(base, 'clerk3', nextTotpCode(started.body.secret))).r.status, 200);
    });

    test('JICENG_ADMIN_TOTP_SECRET enrols the first admin of `jiceng demo` and of `jiceng serve`', async () => {
      const secret = newSecret();
      const demoDb = await freshDbUrl(dialect);
      const demo = jiceng(demoDb, { JICENG_ADMIN_TOTP_SECRET: secret }, 'demo', '--trees-only');
      assert.equal(demo.code, 0, demo.err);
      assert.match(demo.out, /已关闭两步验证/, 'the demo says two-factor is off for it');
      const demoStore = openStore(demoDb);
      const s = await startServer(demoStore);
      try {
        assertError((await signIn(s.base, 'admin', undefined, DEMO_PASSWORD)).r, 401, 'TOTP_REQUIRED');
        assert.equal((await signIn(s.base, 'admin', totpCode(secret), DEMO_PASSWORD)).r.status, 200);
        const leader = await signIn(s.base, 'leader', undefined, DEMO_PASSWORD);
        assert.equal(leader.r.status, 200, 'the demo requires no two-factor of its other users');
        assert.equal(leader.r.body.enrollment, undefined);
      } finally {
        await s.close();
        await demoStore.close();
      }

      const db = await freshDbUrl(dialect);
      const port = await freePort();
      const child = spawn(process.execPath, ['bin/jiceng.mjs', 'serve', '--db', db, '--port', String(port)], {
        cwd: ROOT,
        env: { ...process.env, JICENG_ADMIN_PASSWORD: 'First#Boss2026', JICENG_ADMIN_TOTP_SECRET: secret, JICENG_LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      try {
        let out = '';
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`serve did not start: ${out}`)), 60_000);
          child.stdout!.on('data', (d: Buffer) => {
            out += d.toString();
            if (out.includes('listening on')) {
              clearTimeout(timer);
              resolve();
            }
          });
          child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
          child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
        });
        const base = `http://127.0.0.1:${port}`;
        assertError((await signIn(base, 'admin', undefined, 'First#Boss2026')).r, 401, 'TOTP_REQUIRED');
        const ok = await signIn(base, 'admin', totpCode(secret), 'First#Boss2026');
        assert.equal(ok.r.status, 200, show(ok.r));
        assert.equal(ok.r.body.enrollment, undefined);
        assert.equal((await ok.c.get('/api/areas')).status, 200);
      } finally {
        child.kill('SIGTERM');
        await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
      }
    });

    test('`jiceng user create --totp-secret` enrols the user; a malformed secret is refused and creates no user', async () => {
      const db = await freshDbUrl(dialect);
      assert.equal(jiceng(db, {}, 'demo', '--trees-only').code, 0);
      const bad = jiceng(db, {}, 'user', 'create', '--username', 'wang', '--password', 'Zs!2026abcX', '--role', 'leader', '--area', 'DH', '--totp-secret', 'not-base32!');
      assert.notEqual(bad.code, 0);
      assert.match(bad.err, /Base32/);
      const short = jiceng(db, {}, 'user', 'create', '--username', 'wang', '--password', 'Zs!2026abcX', '--role', 'leader', '--area', 'DH', '--totp-secret', 'JBSWY3DPEHPK3PXP');
      assert.notEqual(short.code, 0);
      assert.match(short.err, /至少需要128位/);
      const secret = newSecret();
      const made = jiceng(db, {}, 'user', 'create', '--username', 'wang', '--password', 'Zs!2026abcX', '--role', 'leader', '--area', 'DH', '--totp-secret', secret.toLowerCase());
      assert.equal(made.code, 0, made.err);
      assert.match(made.out, /已启用两步验证/);
      const st = openStore(db);
      const s = await startServer(st);
      try {
        assertError((await signIn(s.base, 'wang', undefined, 'Zs!2026abcX')).r, 401, 'TOTP_REQUIRED');
        const ok = await signIn(s.base, 'wang', totpCode(secret), 'Zs!2026abcX');
        assert.equal(ok.r.status, 200, show(ok.r));
        assert.equal((await ok.c.get('/api/areas')).status, 200);
        const audit = JSON.stringify(await st.db.selectFrom('audit_log').selectAll().execute());
        assert.ok(!audit.includes(secret) && !audit.includes(secret.toLowerCase()), 'the secret is not in the audit log');
        const entry = await st.db.selectFrom('audit_log').select('detail').where('action', '=', 'two_factor').where('entity_id', '=', 'wang').executeTakeFirstOrThrow();
        assert.deepEqual(JSON.parse(entry.detail!), { event: 'enrolled', via: 'cli' });
      } finally {
        await s.close();
        await st.close();
      }
    });
  });
}
