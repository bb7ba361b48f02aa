/**
 * Sign-in, sessions, tokens and the protective details of CONTRACTS §2 and §4: lock-out, idle
 * sign-out, password rules and age, CSRF, bearer tokens (stored hashed), session rotation,
 * sign-out, the audit of sign-ins, security headers and cookie flags, the error shape, health
 * and the OpenAPI description.
 *
 * Each test starts its own server on the dialect's demo store (the per-address sign-in rate
 * limit lives in a server), and uses its own demo user so the tests do not lean on each other.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { loadDemo } from '../../src/demo/demo.ts';
import type { Store } from '../../src/store/db.ts';
import { dialects, freshStore } from '../helpers/db.ts';
import { Client, startServer, type Answer, type Running } from '../helpers/http.ts';

const PASSWORD = 'Demo@2026jc';
const HAN = /[\u4e00-\u9fff]/;
const PACKAGE_VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

function show(a: Answer): string {
  return `${a.status} ${typeof a.body === 'string' ? a.body.slice(0, 200) : JSON.stringify(a.body)}`;
}

function assertError(a: Answer, status: number, code: string) {
  assert.equal(a.status, status, show(a));
  assert.equal(a.body?.error?.code, code, show(a));
  assert.match(a.body.error.message, HAN, `a Chinese message: ${a.body.error.message}`);
}

/** The cookie's raw value, from a Client. */
function sid(c: Client): string {
  assert.ok(c.cookie, 'a session cookie is set');
  return c.cookie.replace(/^jiceng_sid=/, '');
}

/** A client that sends exactly this cookie (no CSRF header). */
function withCookie(base: string, cookie: string): Client {
  const c = new Client(base);
  c.cookie = cookie.startsWith('jiceng_sid=') ? cookie : `jiceng_sid=${cookie}`;
  return c;
}

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString();

for (const dialect of dialects()) {
  describe(`sign-in and sessions on ${dialect}`, () => {
    let store: Store;
    const servers: Running[] = [];

    /** A server of its own for one test. */
    async function serve(): Promise<string> {
      const s = await startServer(store);
      servers.push(s);
      return s.base;
    }

    before(async () => {
      store = await freshStore(dialect);
      await loadDemo(store, { ifEmpty: false, log: () => {}, ledgers: false });
    });

    after(async () => {
      for (const s of servers) await s.close();
      await store?.close();
    });

    test('five consecutive failures lock the account; the sixth attempt, right password, gets 429; others are unaffected', async () => {
      const base = await serve();
      for (let i = 1; i <= 5; i++) {
        const r = await new Client(base).login('viewer', `Wrong@${i}xyz`);
        assertError(r, 401, 'INVALID_CREDENTIALS');
      }
      const locked = await new Client(base).login('viewer', PASSWORD);
      assertError(locked, 429, 'ACCOUNT_LOCKED');
      const other = await new Client(base).login('sysadmin', PASSWORD);
      assert.equal(other.status, 200, `another account from the same address signs in: ${show(other)}`);
      const row = await store.db.selectFrom('users').select('locked_until').where('username', '=', 'viewer').executeTakeFirstOrThrow();
      assert.ok(row.locked_until, 'locked_until is set');
      const minutes = (Date.parse(row.locked_until) - Date.now()) / 60_000;
      assert.ok(minutes > 14 && minutes <= 15.1, `locked for 15 minutes, got ${minutes.toFixed(2)}`);
    });

    test('the lock ends after its time; then the right password works again', async () => {
      const base = await serve();
      for (let i = 1; i <= 5; i++) assertError(await new Client(base).login('leader', `Wrong@${i}xyz`), 401, 'INVALID_CREDENTIALS');
      assertError(await new Client(base).login('leader', PASSWORD), 429, 'ACCOUNT_LOCKED');
      await store.db.updateTable('users').set({ locked_until: minutesAgo(1) }).where('username', '=', 'leader').execute();
      assert.equal((await new Client(base).login('leader', PASSWORD)).status, 200, 'unlocked after 15 minutes');
    });

    test('failures sent in parallel count too: the lock cannot be raced', async () => {
      const base = await serve();
      try {
        const attempts = await Promise.all(Array.from({ length: 10 }, (_, i) => new Client(base).login('auditor', `Wrong@${i}par`)));
        for (const a of attempts) assert.ok(a.status === 401 || a.status === 429, show(a));
        const row = await store.db.selectFrom('users').select(['failed_logins', 'locked_until']).where('username', '=', 'auditor').executeTakeFirstOrThrow();
        assert.ok(row.locked_until, `locked after 10 parallel failures (failed_logins=${row.failed_logins}, locked_until=${row.locked_until})`);
        assertError(await new Client(base).login('auditor', PASSWORD), 429, 'ACCOUNT_LOCKED');
      } finally {
        // Let the later tests use the auditor again.
        await store.db.updateTable('users').set({ locked_until: null, failed_logins: 0 }).where('username', '=', 'auditor').execute();
      }
    });

    test('a failure streak broken by a success does not lock', async () => {
      const base = await serve();
      for (let i = 1; i <= 4; i++) assertError(await new Client(base).login('leader', `Wrong@${i}xyz`), 401, 'INVALID_CREDENTIALS');
      assert.equal((await new Client(base).login('leader', PASSWORD)).status, 200);
      for (let i = 1; i <= 4; i++) assertError(await new Client(base).login('leader', `Wrong@${i}xyz`), 401, 'INVALID_CREDENTIALS');
      assert.equal((await new Client(base).login('leader', PASSWORD)).status, 200, 'four failures, a success, four failures: not consecutive five');
    });

    test('a session idle for more than 30 minutes is ended: 401 SESSION_EXPIRED', async () => {
      const base = await serve();
      const c = new Client(base);
      const r = await c.login('leader', PASSWORD);
      assert.equal(r.status, 200);
      const userId = r.body.user.id as number;
      await store.db.updateTable('sessions').set({ last_seen_at: minutesAgo(29) }).where('user_id', '=', userId).execute();
      assert.equal((await c.get('/api/auth/me')).status, 200, 'after 29 idle minutes the session still works');
      await store.db.updateTable('sessions').set({ last_seen_at: minutesAgo(31) }).where('user_id', '=', userId).execute();
      assertError(await c.get('/api/auth/me'), 401, 'SESSION_EXPIRED');
      assert.equal((await c.get('/api/areas')).status, 401, 'and stays ended');
    });

    test('a new user gets a random first password, must change it, and weak passwords are refused', async () => {
      const base = await serve();
      const admin = new Client(base);
      assert.equal((await admin.login('admin', PASSWORD)).status, 200);
      const made = await admin.post('/api/users', { username: 'newbie', displayName: '新同事', role: 'clerk', areaCode: 'DH-S01' });
      assert.equal(made.status, 200, show(made));
      const first = made.body.password as string;
      assert.equal(typeof first, 'string');
      assert.ok(first.length >= 8, 'the first password is at least 8 characters');
      const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(first)).length;
      assert.ok(classes >= 3, 'the first password mixes at least three classes');
      assert.equal(made.body.user.mustChangePassword, true);

      const u = new Client(base);
      const signed = await u.login('newbie', first);
      assert.equal(signed.status, 200, show(signed));
      assert.equal(signed.body.mustChangePassword, true);
      assertError(await u.get('/api/areas'), 403, 'PASSWORD_CHANGE_REQUIRED');
      assertError(await u.get('/api/orgs'), 403, 'PASSWORD_CHANGE_REQUIRED');
      assertError(await u.post('/api/tokens', {}), 403, 'PASSWORD_CHANGE_REQUIRED');
      const me = await u.get('/api/auth/me');
      assert.equal(me.status, 200, 'who am I still answers');
      assert.equal(me.body.mustChangePassword, true);

      for (const weak of ['Ab1!xy', 'abcdefgh12', 'ABCDEFGH!!', 'xNewbie@2026', first]) {
        const r = await u.post('/api/auth/password', { currentPassword: first, newPassword: weak });
        assertError(r, 400, 'VALIDATION_FAILED');
      }
      assertError(await u.post('/api/auth/password', { currentPassword: 'Not$theRight1', newPassword: 'Str0ng#Pass2026' }), 400, 'VALIDATION_FAILED');
      assertError(await u.get('/api/areas'), 403, 'PASSWORD_CHANGE_REQUIRED');

      const changed = await u.post('/api/auth/password', { currentPassword: first, newPassword: 'Str0ng#Pass2026' });
      assert.equal(changed.status, 200, show(changed));
      const areas = await u.get('/api/areas');
      assert.equal(areas.status, 200, show(areas));
      assert.ok(areas.body.items.some((a: { code: string }) => a.code === 'DH-S01'));
      assert.equal((await u.get('/api/auth/me')).body.mustChangePassword, false);

      assertError(await new Client(base).login('newbie', first), 401, 'INVALID_CREDENTIALS');
      const again = await new Client(base).login('newbie', 'Str0ng#Pass2026');
      assert.equal(again.status, 200);
      assert.equal(again.body.mustChangePassword, false);
    });

    test('a password older than 90 days must be changed', async () => {
      const base = await serve();
      await store.db.updateTable('users').set({ password_changed_at: daysAgo(89) }).where('username', '=', 'grid').execute();
      const young = await new Client(base).login('grid', PASSWORD);
      assert.equal(young.status, 200);
      assert.equal(young.body.mustChangePassword, false, '89 days: still valid');

      await store.db.updateTable('users').set({ password_changed_at: daysAgo(91) }).where('username', '=', 'grid').execute();
      const c = new Client(base);
      const old = await c.login('grid', PASSWORD);
      assert.equal(old.status, 200);
      assert.equal(old.body.mustChangePassword, true, '91 days: expired');
      assertError(await c.get('/api/areas'), 403, 'PASSWORD_CHANGE_REQUIRED');
      assert.equal((await c.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'Wang#Renewed2026' })).status, 200);
      assert.equal((await c.get('/api/areas')).status, 200);
    });

    test('a cookie request without a valid X-CSRF-Token gets 403 CSRF_FAILED and changes nothing', async () => {
      const base = await serve();
      const c = new Client(base);
      assert.equal((await c.login('clerk', PASSWORD)).status, 200);
      const body = (code: string) => ({ code, name: '跨站请求网格', kind: '网格', parentCode: 'DH-S03' });

      const token = c.csrf;
      c.csrf = null;
      assertError(await c.post('/api/areas', body('CSRF-1')), 403, 'CSRF_FAILED');
      assertError(await c.request('POST', '/api/areas', body('CSRF-2'), { 'x-csrf-token': 'not-the-token' }), 403, 'CSRF_FAILED');
      assertError(await c.request('POST', '/api/areas', body('CSRF-3'), { 'x-csrf-token': '' }), 403, 'CSRF_FAILED');
      assertError(await c.post('/api/auth/logout'), 403, 'CSRF_FAILED');
      const fd = new FormData();
      fd.append('file', new Blob([new TextEncoder().encode('编码,名称,类型,上级编码\nCSRF-5,跨站导入,网格,DH-S03\n')]), 'areas.csv');
      assertError(await c.request('POST', '/api/imports/areas', fd), 403, 'CSRF_FAILED');
      assert.equal((await c.get('/api/areas/DH-S03')).status, 200, 'reads need no token');
      c.csrf = token;
      for (const code of ['CSRF-1', 'CSRF-2', 'CSRF-3', 'CSRF-5']) assert.equal((await c.get(`/api/areas/${code}`)).status, 404, `${code} was not created`);
      assert.equal((await c.post('/api/areas', body('CSRF-4'))).status, 200, 'with the token it works');
      assert.equal((await c.get('/api/auth/me')).status, 200, 'the refused logout did not sign out');
    });

    test('a cookie request is checked for CSRF, role and sign-in before its body is validated', async () => {
      const base = await serve();
      // An anonymous request with a malformed body is "not signed in", not "malformed".
      assertError(await new Client(base).post('/api/areas', {}), 401, 'UNAUTHENTICATED');
      assertError(await new Client(base).patch('/api/users/abc', {}), 401, 'UNAUTHENTICATED');
      const v = new Client(base);
      assert.equal((await v.login('leader', PASSWORD)).status, 200);
      assertError(await v.post('/api/areas', {}), 403, 'FORBIDDEN');
      const token = v.csrf;
      v.csrf = null;
      assertError(await v.post('/api/areas', {}), 403, 'CSRF_FAILED');
      v.csrf = token;
    });

    test('API tokens: Bearer works without CSRF, a bad token gets 401, tokens and sessions are stored hashed', async () => {
      const base = await serve();
      const c = new Client(base);
      assert.equal((await c.login('clerk', PASSWORD)).status, 200);
      const made = await c.post('/api/tokens', { name: '数据同步脚本' });
      assert.equal(made.status, 200, show(made));
      const token = made.body.token as string;
      assert.ok(token.length >= 32, 'a long random token');

      const b = new Client(base);
      b.token = token;
      const me = await b.get('/api/auth/me');
      assert.equal(me.status, 200, show(me));
      assert.equal(me.body.user.username, 'clerk');
      const created = await b.post('/api/areas', { code: 'TOKEN-1', name: '令牌新增网格', kind: '网格', parentCode: 'DH-S03' });
      assert.equal(created.status, 200, `no CSRF header needed with a token: ${show(created)}`);

      const bad = new Client(base);
      bad.token = `${token.slice(0, -2)}xx`;
      assertError(await bad.get('/api/auth/me'), 401, 'UNAUTHENTICATED');
      bad.token = 'nonsense';
      assert.equal((await bad.post('/api/areas', { code: 'TOKEN-2', name: '假令牌', kind: '网格', parentCode: 'DH-S03' })).status, 401);

      const tokens = await store.db.selectFrom('api_tokens').selectAll().execute();
      assert.ok(tokens.length >= 1);
      const dump = JSON.stringify(tokens);
      assert.ok(!dump.includes(token), 'the raw token is not stored');
      assert.ok(!dump.includes(token.replace(/^jct_/, '')), 'not even without its prefix');
      const sessions = JSON.stringify(await store.db.selectFrom('sessions').selectAll().execute());
      assert.ok(!sessions.includes(sid(c)), 'the raw session id is not stored');
    });

    test('every sign-in rotates the session id; the old cookie stops working', async () => {
      const base = await serve();
      const c = new Client(base);
      assert.equal((await c.login('sq01', PASSWORD)).status, 200);
      const first = sid(c);
      assert.equal((await c.get('/api/auth/me')).status, 200);
      // The same browser signs in again, sending its current cookie along.
      assert.equal((await c.login('sq01', PASSWORD)).status, 200);
      const second = sid(c);
      assert.notEqual(second, first, 'a new session id at every sign-in');
      assert.equal((await withCookie(base, first).get('/api/auth/me')).status, 401, 'the old session ended');
      assert.equal((await c.get('/api/auth/me')).status, 200);

      // Sign-out ends the session on the server, not just in the browser.
      assert.equal((await c.post('/api/auth/logout')).status, 200);
      assert.equal((await withCookie(base, second).get('/api/auth/me')).status, 401, 'signed out');
      assert.equal((await withCookie(base, second).get('/api/areas')).status, 401);
    });

    test('a password change ends the user\'s other sessions and keeps the current one', async () => {
      const base = await serve();
      const a = new Client(base);
      const b = new Client(base);
      assert.equal((await a.login('secadmin', PASSWORD)).status, 200);
      assert.equal((await b.login('secadmin', PASSWORD)).status, 200);
      assert.equal((await b.get('/api/auth/me')).status, 200);
      const other = new Client(base);
      assert.equal((await other.login('auditor', PASSWORD)).status, 200);

      assert.equal((await a.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'Sec#Admin2027' })).status, 200);
      assert.equal((await a.get('/api/auth/me')).status, 200, 'the current session stays');
      assert.equal((await b.get('/api/auth/me')).status, 401, 'the other session ended');
      assert.equal((await other.get('/api/auth/me')).status, 200, 'another user is not affected');
      assertError(await new Client(base).login('secadmin', PASSWORD), 401, 'INVALID_CREDENTIALS');
      assert.equal((await new Client(base).login('secadmin', 'Sec#Admin2027')).status, 200);
    });

    test('sign-ins and failed sign-ins are in the audit log', async () => {
      const base = await serve();
      assertError(await new Client(base).login('clerk', 'Wrong#pass99'), 401, 'INVALID_CREDENTIALS');
      assert.equal((await new Client(base).login('clerk', PASSWORD)).status, 200);
      const auditor = new Client(base);
      assert.equal((await auditor.login('auditor', PASSWORD)).status, 200);

      const failed = await auditor.get('/api/audit?username=clerk&action=login_failed');
      assert.equal(failed.status, 200, show(failed));
      assert.ok(failed.body.total >= 1, 'the failure is logged');
      const f = failed.body.items[0];
      assert.equal(f.action, 'login_failed');
      assert.equal(f.entityId, 'clerk');
      assert.ok(f.ip, 'with the address');
      const ok = await auditor.get('/api/audit?username=clerk&action=login');
      assert.ok(ok.body.total >= 1, 'the success is logged');
      assert.equal(ok.body.items[0].action, 'login');
      assert.ok(Date.now() - Date.parse(ok.body.items[0].at) < 60_000, 'just now');
      const both = await auditor.get('/api/audit?username=clerk&action=login,login_failed');
      assert.deepEqual(
        [...new Set((both.body.items as Array<{ action: string }>).map((i) => i.action))].sort(),
        ['login', 'login_failed'],
      );
    });

    test('security headers on / and on the API; the session cookie is HttpOnly and SameSite=Strict', async () => {
      const base = await serve();
      for (const path of ['/', '/api/health', '/api/areas', '/some/page']) {
        const r = await fetch(base + path);
        await r.arrayBuffer();
        const csp = r.headers.get('content-security-policy');
        assert.ok(csp, `${path}: Content-Security-Policy`);
        const directives = new Map(
          csp.split(';').map((d) => d.trim()).filter(Boolean).map((d) => {
            const [name, ...values] = d.split(/\s+/);
            return [name!.toLowerCase(), values] as const;
          }),
        );
        const script = directives.get('script-src') ?? directives.get('default-src');
        assert.ok(script, `${path}: script-src or default-src`);
        assert.ok(!script.includes("'unsafe-inline'"), `${path}: no 'unsafe-inline' for scripts`);
        assert.ok(!script.includes("'unsafe-eval'"), `${path}: no 'unsafe-eval' for scripts`);
        assert.deepEqual(directives.get('frame-ancestors'), ["'none'"], `${path}: frame-ancestors 'none'`);
        assert.equal(r.headers.get('x-content-type-options'), 'nosniff', path);
        const referrer = r.headers.get('referrer-policy');
        assert.ok(referrer && ['no-referrer', 'same-origin', 'strict-origin', 'strict-origin-when-cross-origin'].includes(referrer), `${path}: Referrer-Policy ${referrer}`);
      }
      const login = await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'clerk', password: PASSWORD }),
      });
      assert.equal(login.status, 200);
      const cookie = login.headers.get('set-cookie') ?? '';
      assert.match(cookie, /^jiceng_sid=[^;]{20,}/);
      assert.match(cookie, /;\s*HttpOnly/i);
      assert.match(cookie, /;\s*SameSite=Strict/i);
      assert.match(cookie, /;\s*Path=\//i);
      const body = (await login.json()) as { csrfToken: string };
      assert.ok(!cookie.includes(body.csrfToken), 'the CSRF token is not the cookie');
    });

    test('errors share one shape with a Chinese message', async () => {
      const base = await serve();
      const anon = await new Client(base).get('/api/areas');
      assertError(anon, 401, 'UNAUTHENTICATED');
      assert.deepEqual(Object.keys(anon.body), ['error']);
      assert.equal(typeof anon.body.error.message, 'string');

      const missing = await new Client(base).get('/api/no-such-thing');
      assert.equal(missing.status, 404);
      assert.match(missing.body.error.message, HAN);

      const c = new Client(base);
      assert.equal((await c.login('clerk', PASSWORD)).status, 200);
      assertError(await c.get('/api/areas/NO-SUCH-AREA'), 404, 'NOT_FOUND');
      assertError(await c.post('/api/areas', { code: 'bad code!', name: '错误编码', kind: '网格', parentCode: 'DH-S03' }), 400, 'VALIDATION_FAILED');
      // A missing field and a wrong type are validation failures a user can act on, in Chinese too.
      assertError(await c.post('/api/areas', { code: 'NONAME-1', kind: '网格', parentCode: 'DH-S03' }), 400, 'VALIDATION_FAILED');
      assertError(await c.patch('/api/areas/DH-S03', { name: '东湖' }), 400, 'VALIDATION_FAILED');
      assertError(await c.post('/api/areas/DH-S03/retire', { date: '2026-01-31', version: 'one' }), 400, 'VALIDATION_FAILED');
      assertError(await c.post('/api/areas', { code: 'BADKIND-1', name: '错类型', kind: '楼栋', parentCode: 'DH-S03' }), 400, 'VALIDATION_FAILED');
      const wrong = await new Client(base).post('/api/auth/login', { username: 'clerk', password: 'nope' });
      assertError(wrong, 401, 'INVALID_CREDENTIALS');
    });

    test('GET /api/health answers without sign-in', async () => {
      const base = await serve();
      const r = await new Client(base).get('/api/health');
      assert.equal(r.status, 200);
      assert.deepEqual(r.body, { status: 'ok', db: dialect, version: PACKAGE_VERSION });
    });

    test('GET /api/openapi.json describes the API', async () => {
      const base = await serve();
      const r = await new Client(base).get('/api/openapi.json');
      assert.equal(r.status, 200);
      assert.match(String(r.body.openapi), /^3\.\d+\.\d+$/);
      assert.equal(typeof r.body.info?.title, 'string');
      assert.equal(typeof r.body.info?.version, 'string');
      const paths = r.body.paths as Record<string, Record<string, unknown>>;
      for (const [path, methods] of [
        ['/api/areas', ['get', 'post']],
        ['/api/areas/{code}', ['get', 'patch']],
        ['/api/orgs', ['get', 'post']],
        ['/api/auth/login', ['post']],
        ['/api/auth/me', ['get']],
        ['/api/health', ['get']],
        ['/api/imports/{key}', ['post']],
      ] as const) {
        assert.ok(paths[path], `${path} is described`);
        for (const m of methods) assert.ok(paths[path]![m], `${m.toUpperCase()} ${path} is described`);
      }
      assert.ok(!paths['/api/openapi.json'], 'the description itself is hidden');
      for (const ops of Object.values(paths)) {
        for (const op of Object.values(ops) as Array<{ responses?: unknown }>) assert.ok(op.responses, 'every operation lists its responses');
      }
    });
  });
}
