/**
 * Sessions and security headers beyond what test/api/auth.test.ts proves (HttpOnly, SameSite=Strict
 * and Path of the cookie; CSRF refused without or with a wrong header; rotation at sign-in;
 * sign-out; a password change ending other sessions; the 30-minute idle sign-out; CSP, nosniff and
 * Referrer-Policy on pages and the API). Here: the `Secure` flag and HSTS when the deployment says
 * it is served over HTTPS (JICENG_COOKIE_SECURE), the cookie cleared with the same attributes at
 * sign-out, a CSRF token bound to its own session, CSRF on the two-factor routes, an idle timeout
 * tightened by policy, the session row gone at sign-out, and the headers on error answers and
 * static files too.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildServer, WEB_ROOT } from '../../src/server/app.ts';
import { sha256 } from '../../src/store/auth.ts';
import type { Store } from '../../src/store/db.ts';
import { dialects, freshStore } from '../helpers/db.ts';
import { FIXTURE_PASSWORD, smallStreet } from '../helpers/fixtures.ts';
import { Client, type Answer } from '../helpers/http.ts';

const HAN = /[\u4e00-\u9fff]/;

function assertError(a: Answer, status: number, code: string) {
  assert.equal(a.status, status, `${a.status} ${JSON.stringify(a.body)}`);
  assert.equal(a.body?.error?.code, code);
  assert.match(a.body.error.message, HAN);
}

async function login(base: string, username: string): Promise<Response> {
  return fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: FIXTURE_PASSWORD }),
  });
}

/** The attributes of a Set-Cookie header, lower-cased names. */
function cookieAttributes(header: string): Map<string, string> {
  const [, ...attrs] = header.split(';').map((s) => s.trim());
  return new Map(attrs.map((a) => {
    const [k, ...v] = a.split('=');
    return [k!.toLowerCase(), v.join('=')] as const;
  }));
}

function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(';').map((d) => d.trim()).filter(Boolean).map((d) => {
    const [name, ...values] = d.split(/\s+/);
    return [name!.toLowerCase(), values] as const;
  }));
}

for (const dialect of dialects()) {
  describe(`sessions and headers on ${dialect}`, () => {
    let store: Store;
    const apps: FastifyInstance[] = [];

    async function serve(options: { cookieSecure?: boolean } = {}): Promise<string> {
      const app = await buildServer(store, options);
      await app.listen({ host: '127.0.0.1', port: 0 });
      apps.push(app);
      const a = app.server.address();
      return `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
    }

    before(async () => {
      store = await freshStore(dialect);
      await smallStreet(store);
    });

    after(async () => {
      for (const app of apps) await app.close();
      await store?.close();
    });

    test('without JICENG_COOKIE_SECURE, over plain HTTP: no Secure flag and no HSTS (a browser would drop a Secure cookie on http://)', async () => {
      const saved = process.env.JICENG_COOKIE_SECURE;
      delete process.env.JICENG_COOKIE_SECURE;
      try {
        const base = await serve();
        const r = await login(base, 'clerk');
        assert.equal(r.status, 200);
        const attrs = cookieAttributes(r.headers.get('set-cookie') ?? '');
        assert.ok(attrs.has('httponly'));
        assert.ok(!attrs.has('secure'));
        assert.equal(r.headers.get('strict-transport-security'), null);
      } finally {
        if (saved !== undefined) process.env.JICENG_COOKIE_SECURE = saved;
      }
    });

    test('behind HTTPS (JICENG_COOKIE_SECURE=1): the session cookie is Secure, HttpOnly, SameSite=Strict, Path=/, and HSTS is sent', async () => {
      const saved = process.env.JICENG_COOKIE_SECURE;
      process.env.JICENG_COOKIE_SECURE = '1';
      let base: string;
      try {
        base = await serve();
      } finally {
        if (saved === undefined) delete process.env.JICENG_COOKIE_SECURE;
        else process.env.JICENG_COOKIE_SECURE = saved;
      }
      const r = await login(base, 'clerk');
      assert.equal(r.status, 200);
      const header = r.headers.get('set-cookie') ?? '';
      const attrs = cookieAttributes(header);
      assert.ok(attrs.has('secure'), header);
      assert.ok(attrs.has('httponly'), header);
      assert.equal(attrs.get('samesite')?.toLowerCase(), 'strict');
      assert.equal(attrs.get('path'), '/');
      assert.ok(!attrs.has('domain'), 'host-only: no Domain attribute');
      assert.match(r.headers.get('strict-transport-security') ?? '', /max-age=\d{7,}/);
      const page = await fetch(`${base}/`);
      await page.arrayBuffer();
      assert.match(page.headers.get('strict-transport-security') ?? '', /max-age=/, 'HSTS on pages too');

      // Sign-out clears the cookie with the same attributes (a browser only replaces a cookie that matches).
      const sid = /jiceng_sid=([^;]*)/.exec(header)![1]!;
      const { csrfToken } = (await r.json()) as { csrfToken: string };
      const out = await fetch(`${base}/api/auth/logout`, { method: 'POST', headers: { cookie: `jiceng_sid=${sid}`, 'x-csrf-token': csrfToken, 'content-type': 'application/json' }, body: '{}' });
      assert.equal(out.status, 200);
      const cleared = out.headers.get('set-cookie') ?? '';
      assert.match(cleared, /^jiceng_sid=;/);
      const c = cookieAttributes(cleared);
      assert.ok(c.has('secure') && c.has('httponly') && c.get('path') === '/', cleared);
      assert.ok(Date.parse(c.get('expires') ?? '') < Date.now() || c.get('max-age') === '0', `expired: ${cleared}`);
    });

    test('sign-out deletes the session on the server; the old cookie is refused', async () => {
      const base = await serve({ cookieSecure: false });
      const c = new Client(base);
      assert.equal((await c.login('leader', FIXTURE_PASSWORD)).status, 200);
      const cookie = c.cookie!;
      const id = sha256(cookie.replace(/^jiceng_sid=/, ''));
      assert.ok(await store.db.selectFrom('sessions').select('id').where('id', '=', id).executeTakeFirst(), 'the session exists');
      assert.equal((await c.post('/api/auth/logout')).status, 200);
      assert.equal(await store.db.selectFrom('sessions').select('id').where('id', '=', id).executeTakeFirst(), undefined, 'the session row is gone');
      const again = await new Client(base).request('GET', '/api/areas', undefined, { cookie });
      assertError(again, 401, 'UNAUTHENTICATED');
    });

    test('a CSRF token works only with its own session', async () => {
      const base = await serve();
      const a = new Client(base);
      const b = new Client(base);
      assert.equal((await a.login('clerk', FIXTURE_PASSWORD)).status, 200);
      assert.equal((await b.login('clerk', FIXTURE_PASSWORD)).status, 200);
      assert.notEqual(a.csrf, b.csrf, 'each session has its own token');
      const body = { code: 'CSRF-X1', name: '跨会话令牌网格', kind: '网格', parentCode: 'SQ2' };
      assertError(await a.request('POST', '/api/areas', body, { 'x-csrf-token': b.csrf! }), 403, 'CSRF_FAILED');
      assert.equal((await a.get('/api/areas/CSRF-X1')).status, 404, 'nothing was created');
      // The two-factor routes are state-changing too.
      assertError(await a.request('POST', '/api/auth/totp/enroll', {}, { 'x-csrf-token': '' }), 403, 'CSRF_FAILED');
      assertError(await a.request('POST', '/api/auth/totp/confirm', { code: '123456' }, { 'x-csrf-token': 'wrong' }), 403, 'CSRF_FAILED');
      assert.equal((await store.db.selectFrom('users').select('totp_pending_enc').where('username', '=', 'clerk').executeTakeFirstOrThrow()).totp_pending_enc, null, 'no enrolment was started');
      assert.equal((await a.post('/api/areas', body)).status, 200, 'with its own token it works');
    });

    test('a tightened idle timeout (10 minutes) ends sessions sooner', async () => {
      const base = await serve();
      const admin = new Client(base);
      assert.equal((await admin.login('admin', FIXTURE_PASSWORD)).status, 200);
      const policy = (await admin.get('/api/settings/security')).body as Record<string, unknown>;
      const saved = await admin.put('/api/settings/security', { ...policy, idleTimeoutMinutes: 10 });
      assert.equal(saved.status, 200, JSON.stringify(saved.body));
      try {
        const c = new Client(base);
        const r = await c.login('leader', FIXTURE_PASSWORD);
        const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
        await store.db.updateTable('sessions').set({ last_seen_at: minutesAgo(9) }).where('user_id', '=', r.body.user.id).execute();
        assert.equal((await c.get('/api/auth/me')).status, 200, '9 idle minutes: still signed in');
        await store.db.updateTable('sessions').set({ last_seen_at: minutesAgo(11) }).where('user_id', '=', r.body.user.id).execute();
        assertError(await c.get('/api/auth/me'), 401, 'SESSION_EXPIRED');
        assertError(await admin.put('/api/settings/security', { ...policy, idleTimeoutMinutes: 60 }), 400, 'VALIDATION_FAILED');
      } finally {
        await admin.put('/api/settings/security', { ...policy, idleTimeoutMinutes: 30 });
      }
    });

    test('security headers on error answers and static files too; API answers are not cached', async () => {
      const base = await serve();
      const assets = readdirSync(join(WEB_ROOT, 'assets')).filter((f) => f.endsWith('.js'));
      const paths = ['/api/areas', '/api/no-such-route', ...(assets[0] ? [`/assets/${assets[0]}`] : [])];
      const failed = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"username":"x","password":"y"}' });
      await failed.arrayBuffer();
      const answers: Array<[string, Response]> = [['POST /api/auth/login (401)', failed]];
      for (const p of paths) {
        const r = await fetch(base + p);
        await r.arrayBuffer();
        answers.push([p, r]);
      }
      for (const [what, r] of answers) {
        const csp = directives(r.headers.get('content-security-policy') ?? '');
        assert.deepEqual(csp.get('script-src'), ["'self'"], `${what}: scripts only from the site itself`);
        assert.deepEqual(csp.get('frame-ancestors'), ["'none'"], what);
        assert.deepEqual(csp.get('object-src'), ["'none'"], what);
        assert.ok(!(csp.get('img-src') ?? []).some((v) => v === '*' || v === 'https:' || v === 'http:'), `${what}: images from no other site`);
        assert.equal(r.headers.get('x-content-type-options'), 'nosniff', what);
        assert.equal(r.headers.get('x-frame-options'), 'DENY', what);
        assert.equal(r.headers.get('referrer-policy'), 'no-referrer', what);
        if (what.includes('/api/')) assert.equal(r.headers.get('cache-control'), 'no-store', `${what}: not cached`);
      }
    });
  });
}
