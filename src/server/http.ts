/**
 * Fastify glue: who is asking (session cookie or bearer token), the CSRF check, the permission
 * every route declares, area scoping of `area=`, and the single error shape.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, errorBody, type ErrorDetail } from '../shared/errors.ts';
import { can, canLedger, type Permission } from '../domain/policy.ts';
import type { Store } from '../store/db.ts';
import { authenticateSession, authenticateToken, type Principal } from '../store/auth.ts';
import { inSubtree } from '../domain/tree.ts';
import type { Scope } from '../store/scope.ts';

export const SESSION_COOKIE = 'jiceng_sid';

/**
 * The session cookie's attributes. `Secure` when the deployment says it is served over HTTPS
 * (JICENG_COOKIE_SECURE, for a TLS-terminating reverse proxy) or the request itself came over TLS.
 */
export function sessionCookieOptions(secure: boolean) {
  return { path: '/', httpOnly: true, sameSite: 'strict' as const, secure };
}

/** JICENG_COOKIE_SECURE=1|true|yes: the site is reached over HTTPS only. */
export function cookieSecureFromEnv(): boolean {
  return /^(1|true|yes|on)$/i.test(process.env.JICENG_COOKIE_SECURE ?? '');
}

/** What a route requires: a permission, any signed-in user, or nothing. */
export type Access = Permission | 'signedIn' | 'public' | 'ledger.read' | 'ledger.write';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /** For `ledger.read`/`ledger.write` routes about one fixed ledger. */
    ledger?: string;
    /** Routes a user who must change their password may still call. */
    allowPasswordChange?: boolean;
    /** Routes a session that must first enrol in two-factor sign-in may call. */
    allowEnrollment?: boolean;
    /** Large answers built field by field by the store: serialized without the response schema's check (app.ts). */
    largeResponse?: boolean;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyInstance {
    /** The largest upload accepted, in bytes (ServerOptions.maxUploadBytes). */
    uploadLimitBytes: number;
  }
}

export const MAX_JSON_DEPTH = 64;

/** True when arrays/objects in the JSON text nest deeper than `max` (strings are skipped). */
export function jsonTooDeep(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > max) return true;
    } else if (c === 93 || c === 125) depth--;
  }
  return false;
}

export function uploadTooLargeMessage(limitBytes: number): string {
  return `上传的文件过大，不能超过${Math.round(limitBytes / 1024 / 1024)}MB`;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function makeAuthHook(store: Store) {
  return async function authHook(request: FastifyRequest): Promise<void> {
    request.principal = null;
    const config = request.routeOptions.config;
    if (!request.url.startsWith('/api/')) return;
    const access = config.access;
    if (access === undefined) throw new AppError('NOT_FOUND');
    const auth = request.headers.authorization;
    let principal: Principal | null = null;
    if (auth?.startsWith('Bearer ')) {
      principal = await authenticateToken(store, auth.slice(7).trim(), request.ip);
      if (!principal) throw new AppError('UNAUTHENTICATED', '访问令牌无效或已撤销');
    } else {
      const cookie = request.cookies[SESSION_COOKIE];
      if (cookie) principal = await authenticateSession(store, cookie, request.ip);
      if (principal?.session && !SAFE_METHODS.has(request.method)) {
        const header = request.headers['x-csrf-token'];
        if (typeof header !== 'string' || header !== principal.session.csrfToken) throw new AppError('CSRF_FAILED');
      }
    }
    request.principal = principal;
    if (access === 'public') return;
    if (!principal) throw new AppError('UNAUTHENTICATED');
    if (principal.enrollmentRequired && !config.allowEnrollment) throw new AppError('TOTP_ENROLLMENT_REQUIRED');
    if (principal.mustChangePassword && !config.allowPasswordChange) throw new AppError('PASSWORD_CHANGE_REQUIRED');
    if (access === 'ledger.read' || access === 'ledger.write') {
      // The ledger is the route's :key, or the metric query's `ledger`.
      const params = request.params as Record<string, unknown> | undefined;
      const query = request.query as Record<string, unknown> | undefined;
      const key = String(config.ledger ?? params?.key ?? query?.ledger ?? '');
      if (!canLedger(principal.user.role, key, access === 'ledger.read' ? 'read' : 'write')) throw new AppError('FORBIDDEN');
      return;
    }
    if (access !== 'signedIn' && !can(principal.user.role, access)) throw new AppError('FORBIDDEN');
  };
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new AppError('UNAUTHENTICATED');
  return request.principal;
}

/**
 * The scope a request works in: the user's own area subtree, or the subtree of `area=CODE`
 * when that lies inside it (403 otherwise — an area outside is not revealed to exist).
 */
export async function requestScope(store: Store, principal: Principal, areaCode: string | undefined): Promise<Scope> {
  if (!areaCode) return principal.scope;
  const area = await store.db.selectFrom('areas').select('path').where('code', '=', areaCode).executeTakeFirst();
  if (!area || !inSubtree(area.path, principal.scope.path)) {
    if (!area && principal.scope.path === null) throw new AppError('NOT_FOUND', `没有找到编码为“${areaCode}”的区域`);
    throw new AppError('AREA_FORBIDDEN');
  }
  return { path: area.path };
}

export function errorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof AppError) {
    if (error.status >= 500) request.log.error({ err: error }, 'internal error');
    return reply.status(error.status).send({ ...errorBody(error.code, error.message, error.details), ...(error.extra ?? {}) });
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const details: ErrorDetail[] = error.validation.map((v) => {
      const field = String(v.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
      return { field, message: v.message ?? '格式不正确' };
    });
    const first = details[0];
    const message = first ? (first.field ? `“${first.field}”${first.message}` : first.message) : '提交的内容有误';
    return reply.status(400).send(errorBody('VALIDATION_FAILED', message, details));
  }
  const e = error as { statusCode?: number; code?: string; message?: string };
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return reply.status(413).send(errorBody('PAYLOAD_TOO_LARGE', `提交的内容过大，不能超过${Math.round(request.server.initialConfig.bodyLimit! / 1024 / 1024)}MB`));
  }
  if (e.statusCode === 413 || e.code === 'FST_REQ_FILE_TOO_LARGE' || e.code === 'FST_PARTS_LIMIT' || e.code === 'FST_FILES_LIMIT') {
    return reply.status(413).send(errorBody('PAYLOAD_TOO_LARGE', uploadTooLargeMessage(request.server.uploadLimitBytes)));
  }
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
    return reply.status(400).send(errorBody('BAD_REQUEST', `请求格式不正确（${e.code ?? e.statusCode}）`));
  }
  request.log.error({ err: error }, 'unhandled error');
  return reply.status(500).send(errorBody('INTERNAL'));
}
