import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../shared/errors.ts';
import { ZChangePassword, ZLogin, ZMe } from '../../shared/schemas.ts';
import { PERMISSIONS, can, type Permission } from '../../domain/policy.ts';
import { changePassword, createApiToken, getSecurityPolicy, login, logout, type Principal } from '../../store/auth.ts';
import type { Store } from '../../store/db.ts';
import { SESSION_COOKIE, principalOf } from '../http.ts';

async function me(store: Store, p: Principal, csrfToken: string | null) {
  const area = p.user.areaCode
    ? await store.db.selectFrom('areas').select(['code', 'name', 'kind']).where('code', '=', p.user.areaCode).executeTakeFirst()
    : await store.db.selectFrom('areas').select(['code', 'name', 'kind']).where('parent_id', 'is', null).orderBy('id').executeTakeFirst();
  return {
    user: p.user,
    csrfToken,
    mustChangePassword: p.mustChangePassword,
    permissions: (Object.keys(PERMISSIONS) as Permission[]).filter((k) => can(p.user.role, k)),
    area: area ?? null,
  };
}

/** A fixed-window counter of sign-in attempts per client address. */
function loginLimiter() {
  const windows = new Map<string, { start: number; count: number }>();
  return (ip: string, perMinute: number): boolean => {
    const now = Date.now();
    const w = windows.get(ip);
    if (!w || now - w.start >= 60_000) {
      if (windows.size > 10_000) windows.clear();
      windows.set(ip, { start: now, count: 1 });
      return true;
    }
    w.count++;
    return w.count <= perMinute;
  };
}

export function authRoutes(app: FastifyInstance, store: Store) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const allow = loginLimiter();

  r.post('/api/auth/login', { config: { access: 'public' }, schema: { tags: ['auth'], summary: '登录', body: ZLogin, response: { 200: ZMe } } }, async (request, reply) => {
    const policy = await getSecurityPolicy(store.db);
    if (!allow(request.ip, policy.loginRatePerMinute)) throw new AppError('RATE_LIMITED', '登录尝试过于频繁，请1分钟后再试');
    const result = await login(store, {
      username: request.body.username,
      password: request.body.password,
      ip: request.ip,
      userAgent: request.headers['user-agent'] ?? null,
      previousSession: request.cookies[SESSION_COOKIE] ?? null,
    });
    reply.setCookie(SESSION_COOKIE, result.sessionToken, {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      secure: request.protocol === 'https',
    });
    const principal: Principal = {
      user: result.user,
      actor: { userId: result.user.id, username: result.user.username, role: result.user.role, areaPath: result.areaPath, areaId: result.areaId, ip: request.ip },
      scope: { path: result.areaPath },
      session: null,
      mustChangePassword: result.mustChangePassword,
    };
    return me(store, principal, result.csrfToken);
  });

  r.post('/api/auth/logout', { config: { access: 'signedIn', allowPasswordChange: true }, schema: { tags: ['auth'], summary: '退出登录', response: { 200: z.object({ ok: z.boolean() }) } } }, async (request, reply) => {
    await logout(store, principalOf(request));
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });

  r.get('/api/auth/me', { config: { access: 'signedIn', allowPasswordChange: true }, schema: { tags: ['auth'], summary: '当前用户', response: { 200: ZMe } } }, async (request) => {
    const p = principalOf(request);
    return me(store, p, p.session?.csrfToken ?? null);
  });

  r.post('/api/auth/password', { config: { access: 'signedIn', allowPasswordChange: true }, schema: { tags: ['auth'], summary: '修改密码', body: ZChangePassword, response: { 200: z.object({ ok: z.boolean() }) } } }, async (request) => {
    await changePassword(store, principalOf(request), request.body.currentPassword, request.body.newPassword);
    return { ok: true };
  });

  r.post('/api/tokens', { config: { access: 'tokens.create' }, schema: { tags: ['auth'], summary: '为自己创建API令牌', body: z.object({ name: z.string().max(60).optional() }), response: { 200: z.object({ token: z.string() }) } } }, async (request) => {
    const p = principalOf(request);
    return { token: await createApiToken(store, p.actor, p.user.username, request.body.name ?? null) };
  });
}
