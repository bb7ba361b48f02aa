import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../shared/errors.ts';
import { ZChangePassword, ZEnrollment, ZLogin, ZMe, ZRecoveryCodes, ZTotpCode, ZTwoFactorStatus } from '../../shared/schemas.ts';
import { PERMISSIONS, can, type Permission } from '../../domain/policy.ts';
import { changePassword, createApiToken, getSecurityPolicy, login, logout, type Principal } from '../../store/auth.ts';
import type { Store } from '../../store/db.ts';
import { confirmEnrollment, regenerateRecoveryCodes, startEnrollment, twoFactorStatus } from '../../store/two-factor.ts';
import { SESSION_COOKIE, principalOf, sessionCookieOptions } from '../http.ts';

async function me(store: Store, p: Principal, csrfToken: string | null, enrollment?: { secret: string; otpauthUrl: string }) {
  const area = p.user.areaCode
    ? await store.db.selectFrom('areas').select(['code', 'name', 'kind']).where('code', '=', p.user.areaCode).executeTakeFirst()
    : await store.db.selectFrom('areas').select(['code', 'name', 'kind']).where('parent_id', 'is', null).orderBy('id').executeTakeFirst();
  return {
    user: p.user,
    csrfToken,
    mustChangePassword: p.mustChangePassword,
    permissions: (Object.keys(PERMISSIONS) as Permission[]).filter((k) => can(p.user.role, k)),
    area: area ?? null,
    twoFactor: p.twoFactor,
    ...(enrollment ? { enrollment } : {}),
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

export function authRoutes(app: FastifyInstance, store: Store, options: { cookieSecure: boolean }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const allow = loginLimiter();
  const cookie = (request: { protocol: string }) => sessionCookieOptions(options.cookieSecure || request.protocol === 'https');

  r.post('/api/auth/login', { config: { access: 'public' }, schema: { tags: ['auth'], summary: '登录', body: ZLogin, response: { 200: ZMe } } }, async (request, reply) => {
    const policy = await getSecurityPolicy(store.db);
    if (!allow(request.ip, policy.loginRatePerMinute)) throw new AppError('RATE_LIMITED', '登录尝试过于频繁，请1分钟后再试');
    const result = await login(store, {
      username: request.body.username,
      password: request.body.password,
      totp: request.body.totp ?? null,
      ip: request.ip,
      userAgent: request.headers['user-agent'] ?? null,
      previousSession: request.cookies[SESSION_COOKIE] ?? null,
    });
    reply.setCookie(SESSION_COOKIE, result.sessionToken, cookie(request));
    const principal: Principal = {
      user: result.user,
      actor: { userId: result.user.id, username: result.user.username, role: result.user.role, areaPath: result.areaPath, areaId: result.areaId, ip: request.ip },
      scope: { path: result.areaPath },
      session: null,
      mustChangePassword: result.mustChangePassword,
      twoFactor: result.twoFactor,
      enrollmentRequired: result.enrollment !== undefined,
    };
    return me(store, principal, result.csrfToken, result.enrollment);
  });

  r.post('/api/auth/logout', { config: { access: 'signedIn', allowPasswordChange: true, allowEnrollment: true }, schema: { tags: ['auth'], summary: '退出登录', response: { 200: z.object({ ok: z.boolean() }) } } }, async (request, reply) => {
    await logout(store, principalOf(request));
    reply.clearCookie(SESSION_COOKIE, cookie(request));
    return { ok: true };
  });

  r.get('/api/auth/me', { config: { access: 'signedIn', allowPasswordChange: true, allowEnrollment: true }, schema: { tags: ['auth'], summary: '当前用户', response: { 200: ZMe } } }, async (request) => {
    const p = principalOf(request);
    return me(store, p, p.session?.csrfToken ?? null);
  });

  r.post('/api/auth/password', { config: { access: 'signedIn', allowPasswordChange: true }, schema: { tags: ['auth'], summary: '修改密码', body: ZChangePassword, response: { 200: z.object({ ok: z.boolean() }) } } }, async (request) => {
    await changePassword(store, principalOf(request), request.body.currentPassword, request.body.newPassword);
    return { ok: true };
  });

  r.get('/api/auth/totp', { config: { access: 'signedIn', allowPasswordChange: true, allowEnrollment: true }, schema: { tags: ['auth'], summary: '我的两步验证状态', response: { 200: ZTwoFactorStatus } } }, async (request) =>
    twoFactorStatus(store, principalOf(request)),
  );

  r.post('/api/auth/totp/enroll', { config: { access: 'signedIn', allowPasswordChange: true, allowEnrollment: true }, schema: { tags: ['auth'], summary: '开始启用两步验证：返回密钥及 otpauth:// 地址（未确认前重复调用返回同一密钥）', response: { 200: ZEnrollment } } }, async (request) =>
    startEnrollment(store, principalOf(request)),
  );

  r.post('/api/auth/totp/confirm', { config: { access: 'signedIn', allowPasswordChange: true, allowEnrollment: true }, schema: { tags: ['auth'], summary: '用验证器中的动态验证码完成启用；返回10个恢复码（只显示这一次）', body: ZTotpCode, response: { 200: ZRecoveryCodes } } }, async (request, reply) => {
    const result = await confirmEnrollment(store, principalOf(request), request.body.code);
    // The session now rests on two factors: a fresh id.
    if (result.sessionToken) reply.setCookie(SESSION_COOKIE, result.sessionToken, cookie(request));
    return { recoveryCodes: result.recoveryCodes };
  });

  r.post('/api/auth/totp/recovery-codes', { config: { access: 'signedIn' }, schema: { tags: ['auth'], summary: '重新生成恢复码（需当前动态验证码；旧恢复码作废）', body: ZTotpCode, response: { 200: ZRecoveryCodes } } }, async (request) => ({
    recoveryCodes: await regenerateRecoveryCodes(store, principalOf(request), request.body.code),
  }));

  r.post('/api/tokens', { config: { access: 'tokens.create' }, schema: { tags: ['auth'], summary: '为自己创建API令牌', body: z.object({ name: z.string().max(60).optional() }), response: { 200: z.object({ token: z.string() }) } } }, async (request) => {
    const p = principalOf(request);
    return { token: await createApiToken(store, p.actor, p.user.username, request.body.name ?? null) };
  });
}
