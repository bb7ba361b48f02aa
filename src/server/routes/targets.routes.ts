/** Targets (目标责任) with live progress, their definition and split among communities. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ZCode, ZDate } from '../../shared/schemas.ts';
import { todayInShanghai } from '../../domain/workdays.ts';
import type { Store } from '../../store/db.ts';
import { createTarget, deleteTarget, listTargets, splitTarget } from '../../store/targets.ts';
import { withWrite } from '../../store/unit-of-work.ts';
import { principalOf, requestScope } from '../http.ts';

const ZTarget = z.object({
  areaCode: ZCode,
  year: z.number().int().min(2000).max(2100),
  title: z.string().trim().min(2, '请填写目标名称').max(200),
  ledger: z.string().max(40),
  measure: z.string().max(200),
  filters: z.record(z.string().max(40), z.string().max(500)).optional(),
  dateField: z.string().max(40).nullable().optional(),
  q: z.string().max(100).nullable().optional(),
  comparison: z.enum(['>=', '<=', '=']),
  threshold: z.number().min(0),
  period: z.enum(['year', 'quarter', 'month']),
  dueOn: ZDate.optional(),
});

export function targetRoutes(app: FastifyInstance, store: Store) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/targets', { config: { access: 'reports.read' }, schema: { tags: ['targets'], summary: '年度目标及实时进度', querystring: z.object({ area: ZCode.optional(), year: z.coerce.number().int().min(2000).max(2100), asOf: ZDate.optional() }) } }, async (request) => {
    const p = principalOf(request);
    const scope = await requestScope(store, p, request.query.area);
    return { items: await listTargets(store, scope, request.query.year, request.query.asOf ?? todayInShanghai()) };
  });

  r.post('/api/targets', { config: { access: 'targets.write' }, schema: { tags: ['targets'], summary: '新建目标：指标查询 + 比较 + 阈值 + 周期', body: ZTarget } }, async (request) => {
    const p = principalOf(request);
    const id = await withWrite(store, p.actor, (w) => createTarget(w, p.scope, request.body));
    return { id };
  });

  r.post('/api/targets/:id/split', { config: { access: 'targets.write' }, schema: { tags: ['targets'], summary: '将目标分解到下级区域', params: z.object({ id: z.coerce.number().int().positive() }), body: z.object({ parts: z.array(z.object({ areaCode: ZCode, threshold: z.number().min(0) })).min(1).max(200) }) } }, async (request) => {
    const p = principalOf(request);
    await withWrite(store, p.actor, (w) => splitTarget(w, p.scope, request.params.id, request.body.parts));
    return { ok: true };
  });

  r.delete('/api/targets/:id', { config: { access: 'targets.write' }, schema: { tags: ['targets'], summary: '删除目标（连同分解）', params: z.object({ id: z.coerce.number().int().positive() }) } }, async (request) => {
    const p = principalOf(request);
    await withWrite(store, p.actor, (w) => deleteTarget(w, p.scope, request.params.id));
    return { ok: true };
  });
}
