/**
 * buildServer(store) → the HTTP app, used by `jiceng serve` and by the tests (started in-process
 * on a random port). Routes are thin: validate, authorize, one store call, respond.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { AppError, errorBody } from '../shared/errors.ts';
import type { Store } from '../store/db.ts';
import { cookieSecureFromEnv, errorHandler, jsonTooDeep, makeAuthHook, MAX_JSON_DEPTH, uploadTooLargeMessage } from './http.ts';
import { authRoutes } from './routes/auth.routes.ts';
import { twoFactorRoutes } from './routes/two-factor.routes.ts';
import { treeRoutes } from './routes/trees.routes.ts';
import { adminRoutes } from './routes/admin.routes.ts';
import { importRoutes } from './routes/imports.routes.ts';
import { ledgerRoutes } from './routes/ledgers.routes.ts';
import { recruitmentRoutes } from './routes/recruitment.routes.ts';
import { memberRoutes } from './routes/members.routes.ts';
import { complianceRoutes } from './routes/compliance.routes.ts';
import { meetingRoutes } from './routes/meetings.routes.ts';
import { reportRoutes } from './routes/reports.routes.ts';
import { targetRoutes } from './routes/targets.routes.ts';
import { VERSION } from '../shared/version.ts';

export const WEB_ROOT = fileURLToPath(new URL('../../dist/web/', import.meta.url));

export interface ServerOptions {
  /** pino options or false; `serve` logs JSON lines to stdout. */
  logger?: boolean | object;
  /** Largest accepted upload in bytes (default DEFAULT_MAX_UPLOAD_BYTES; `serve` reads JICENG_MAX_UPLOAD_MB). */
  maxUploadBytes?: number;
  /** Largest accepted JSON body in bytes. */
  maxJsonBytes?: number;
  /** Mark the session cookie `Secure` and send HSTS (served over HTTPS); default JICENG_COOKIE_SECURE. */
  cookieSecure?: boolean;
}

export const DEFAULT_MAX_UPLOAD_BYTES = 50 * 1024 * 1024;
export const DEFAULT_MAX_JSON_BYTES = 2 * 1024 * 1024;
/** Room for the multipart boundaries and part headers around the file itself. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // antd writes its styles at run time (CSS-in-JS); scripts stay strictly 'self'.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export async function buildServer(store: Store, options: ServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    bodyLimit: options.maxJsonBytes ?? DEFAULT_MAX_JSON_BYTES,
    trustProxy: false,
  });
  const cookieSecure = options.cookieSecure ?? cookieSecureFromEnv();
  app.setValidatorCompiler(validatorCompiler);
  // Large answers built field by field by the store (record lists, metrics, compliance, reports)
  // skip the response schema's check on the way out: for a district's compliance table it cost more
  // than the query. Tests (JICENG_CHECK_RESPONSES=1) and every other route keep the check.
  const fastRoutes = new Set<string>();
  app.addHook('onRoute', (route) => {
    if (route.config?.largeResponse) for (const m of [route.method].flat()) fastRoutes.add(`${String(m)} ${route.url}`);
  });
  const checkAll = process.env.JICENG_CHECK_RESPONSES === '1';
  app.setSerializerCompiler((route) => (!checkAll && fastRoutes.has(`${route.method} ${route.url}`) ? (data: unknown) => JSON.stringify(data) : serializerCompiler(route as Parameters<typeof serializerCompiler>[0])));
  app.decorateRequest('principal', null);

  // Every API route must say who may call it; a route that forgets is a bug caught at start.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/') && !route.config?.access) {
      throw new Error(`route ${String(route.method)} ${route.url} declares no access rule`);
    }
  });

  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'Jiceng 基层 API', version: VERSION, description: '基层党建与治理平台接口' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'jiceng_sid' },
          token: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { token: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifyCookie);
  const maxUpload = options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  app.decorate('uploadLimitBytes', maxUpload);
  await app.register(fastifyMultipart, { limits: { fileSize: maxUpload, files: 1, fields: 10, parts: 20 } });
  // JSON bodies are parsed as before (prototype poisoning refused), after a nesting check:
  // 100,000 levels of `[` are refused before JSON.parse and zod ever walk them.
  const jsonParser = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (jsonTooDeep(body as string, MAX_JSON_DEPTH)) {
      done(new AppError('BAD_REQUEST', `提交的内容嵌套层数过多（最多${MAX_JSON_DEPTH}层）`), undefined);
      return;
    }
    jsonParser(request, body as string, done);
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('X-Request-Id', request.id);
    // An upload announced as larger than the limit is refused before one byte of it is read,
    // and the connection is closed rather than drained.
    const length = Number(request.headers['content-length'] ?? 0);
    if (length > maxUpload + MULTIPART_OVERHEAD_BYTES && (request.headers['content-type'] ?? '').startsWith('multipart/')) {
      reply.header('Connection', 'close');
      throw new AppError('PAYLOAD_TOO_LARGE', uploadTooLargeMessage(maxUpload));
    }
    reply.header('Content-Security-Policy', CSP);
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('X-Frame-Options', 'DENY');
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
    if (cookieSecure) reply.header('Strict-Transport-Security', 'max-age=31536000');
    if (request.url.startsWith('/api/')) reply.header('Cache-Control', 'no-store');
  });
  // Before body validation: who asks, and may they, is answered first (401/403 before 400).
  app.addHook('preValidation', makeAuthHook(store));
  app.setErrorHandler(errorHandler);

  app.get('/api/health', { config: { access: 'public' } }, async () => ({ status: 'ok', db: store.kind === 'postgres' ? 'postgres' : 'sqlite', version: VERSION }));
  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());
  authRoutes(app, store, { cookieSecure });
  twoFactorRoutes(app, store);
  treeRoutes(app, store);
  adminRoutes(app, store);
  importRoutes(app, store);
  ledgerRoutes(app, store);
  recruitmentRoutes(app, store);
  memberRoutes(app, store);
  complianceRoutes(app, store);
  meetingRoutes(app, store);
  reportRoutes(app, store);
  targetRoutes(app, store);

  const hasWeb = existsSync(WEB_ROOT);
  // Files are looked up per request (wildcard), so a rebuilt web app is served without a restart.
  if (hasWeb) await app.register(fastifyStatic, { root: WEB_ROOT, wildcard: true, index: ['index.html'] });
  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith('/api/') || request.method !== 'GET') {
      return reply.status(404).send(errorBody('NOT_FOUND', '没有这个接口'));
    }
    // The web app routes in the browser: any other page path gets index.html.
    if (hasWeb) return reply.type('text/html').sendFile('index.html');
    return reply.status(404).type('text/plain; charset=utf-8').send('网页尚未构建：请运行 npm run build');
  });
  return app;
}
