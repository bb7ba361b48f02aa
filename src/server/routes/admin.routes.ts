/** Users and roles, security settings, and the audit log: the three administrators' pages. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ZAuditQuery, ZExportLogEntry, ZExportLogQuery, ZCreateUser, ZSecurityPolicy, ZUpdateUser, ZUser } from '../../shared/schemas.ts';
import { can } from '../../domain/policy.ts';
import { createUser, getSecurityPolicy, listUsers, setSecurityPolicy, updateUser } from '../../store/auth.ts';
import { listAudit } from '../../store/audit.repository.ts';
import { listExportLog, mayExportUnmasked, setExportGrant } from '../../store/export-log.ts';
import type { Store } from '../../store/db.ts';
import { withWrite } from '../../store/unit-of-work.ts';
import { principalOf, requestScope } from '../http.ts';
import { AppError } from '../../shared/errors.ts';
import { ZAreaQuery } from '../../shared/schemas.ts';

export function adminRoutes(app: FastifyInstance, store: Store) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/users', { config: { access: 'users.read' }, schema: { tags: ['users'], summary: '用户列表', querystring: ZAreaQuery, response: { 200: z.object({ items: z.array(ZUser) }) } } }, async (request) => {
    const p = principalOf(request);
    return { items: await listUsers(store.db, await requestScope(store, p, request.query.area)) };
  });

  r.post('/api/users', { config: { access: 'users.manage' }, schema: { tags: ['users'], summary: '新增用户（随机初始密码，首次登录须修改）', body: ZCreateUser, response: { 200: z.object({ user: ZUser, password: z.string() }) } } }, async (request) => {
    const p = principalOf(request);
    return withWrite(store, p.actor, (w) =>
      createUser(w, p.scope, { ...request.body, areaCode: request.body.areaCode ?? null }),
    );
  });

  r.patch('/api/users/:id', { config: { access: 'users.read' }, schema: { tags: ['users'], summary: '调整用户：角色与区域（安全管理员）；停用、解锁、重置密码（系统管理员）', params: z.object({ id: z.coerce.number().int().positive() }), body: ZUpdateUser, response: { 200: z.object({ user: ZUser, password: z.string().optional() }) } } }, async (request) => {
    const p = principalOf(request);
    const rights = { grant: can(p.user.role, 'users.grant'), manage: can(p.user.role, 'users.manage') };
    return withWrite(store, p.actor, (w) => updateUser(w, p.scope, request.params.id, request.body, rights));
  });

  r.get('/api/settings/security', { config: { access: 'settings.manage' }, schema: { tags: ['settings'], summary: '安全策略', response: { 200: ZSecurityPolicy } } }, async () => getSecurityPolicy(store.db));

  r.put('/api/settings/security', { config: { access: 'settings.manage' }, schema: { tags: ['settings'], summary: '修改安全策略（只能比默认更严格）', body: ZSecurityPolicy, response: { 200: ZSecurityPolicy } } }, async (request) => {
    const p = principalOf(request);
    return withWrite(store, p.actor, (w) => setSecurityPolicy(w, request.body));
  });

  const ZAuditEntry = z.object({
    seq: z.number(),
    at: z.string(),
    username: z.string().nullable(),
    ip: z.string().nullable(),
    action: z.string(),
    entity: z.string().nullable(),
    entityId: z.string().nullable(),
    before: z.unknown(),
    after: z.unknown(),
    detail: z.unknown(),
  });
  r.get('/api/audit', { config: { access: 'audit.read' }, schema: { tags: ['audit'], summary: '审计日志', querystring: ZAuditQuery, response: { 200: z.object({ total: z.number(), items: z.array(ZAuditEntry) }) } } }, async (request) => {
    const p = principalOf(request);
    const q = request.query;
    return listAudit(store.db, p.scope, {
      ...(q.from ? { from: q.from } : {}),
      ...(q.to ? { to: q.to } : {}),
      ...(q.username ? { username: q.username } : {}),
      ...(q.action ? { action: q.action.split(',') } : {}),
      ...(q.entity ? { entity: q.entity } : {}),
      ...(q.entityId ? { entityId: q.entityId } : {}),
      page: q.page,
      pageSize: q.pageSize,
    });
  });

  // 个人信息导出: the grant (安全管理员) and the log of every export (审计管理员).
  const ZGrant = z.object({ userId: z.number(), username: z.string(), mayExportUnmasked: z.boolean() });
  r.get('/api/users/:id/export-grant', { config: { access: 'exports.grant' }, schema: { tags: ['users'], summary: '用户是否可导出未脱敏的身份证号码和手机号码', params: z.object({ id: z.coerce.number().int().positive() }), response: { 200: ZGrant } } }, async (request) => {
    const p = principalOf(request);
    // Reading goes through the same scope check as granting (a user outside is not found).
    const users = await listUsers(store.db, p.scope);
    const user = users.find((u) => u.id === request.params.id);
    if (!user) throw new AppError('NOT_FOUND', '没有找到该用户');
    return { userId: user.id, username: user.username, mayExportUnmasked: await mayExportUnmasked(store.db, user.id) };
  });

  r.put('/api/users/:id/export-grant', { config: { access: 'exports.grant' }, schema: { tags: ['users'], summary: '授予或收回未脱敏导出权限（安全管理员，记入审计日志）', params: z.object({ id: z.coerce.number().int().positive() }), body: z.object({ mayExportUnmasked: z.boolean() }), response: { 200: ZGrant } } }, async (request) => {
    const p = principalOf(request);
    return withWrite(store, p.actor, (w) => setExportGrant(w, p.scope, request.params.id, request.body.mayExportUnmasked));
  });

  r.get('/api/export-log', { config: { access: 'audit.read' }, schema: { tags: ['audit'], summary: '导出记录：谁、何时、哪个台账、筛选条件、行数、是否脱敏、文件校验值', querystring: ZExportLogQuery, response: { 200: z.object({ total: z.number(), items: z.array(ZExportLogEntry) }) } } }, async (request) => {
    const p = principalOf(request);
    const q = request.query;
    return listExportLog(store.db, p.scope, {
      ...(q.from ? { from: q.from } : {}),
      ...(q.to ? { to: q.to } : {}),
      ...(q.username ? { username: q.username } : {}),
      ...(q.ledger ? { ledger: q.ledger } : {}),
      page: q.page,
      pageSize: q.pageSize,
    });
  });
}
