/** 发展党员: timelines, guarded steps (with a dry check for the live form), board, reminders, rule set. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ZDate } from '../../shared/schemas.ts';
import { STAGES, STEPS } from '../../domain/recruitment/pipeline.ts';
import { todayInShanghai } from '../../domain/workdays.ts';
import type { Store } from '../../store/db.ts';
import { getRuleSet, getTimeline, previewStep, recordStep, reminders, setRuleSet, stageBoard } from '../../store/recruitment.ts';
import { withWrite } from '../../store/unit-of-work.ts';
import { principalOf, requestScope } from '../http.ts';

const ZId = z.object({ id: z.coerce.number().int().positive() });
const ZVote = z.object({
  shouldAttend: z.number().int().min(0),
  present: z.number().int().min(0),
  yes: z.number().int().min(0),
  no: z.number().int().min(0),
  abstain: z.number().int().min(0),
  writtenYes: z.number().int().min(0).optional(),
  writtenNo: z.number().int().min(0).optional(),
});
const ZStep = z.object({
  code: z.enum(STEPS.map((s) => s.code) as [string, ...string[]]),
  date: ZDate,
  data: z
    .object({
      memberIds: z.array(z.number().int().positive()).max(10).optional(),
      conclusion: z.enum(['passed', 'failed']).optional(),
      days: z.number().min(0).max(365).optional(),
      hours: z.number().min(0).max(10000).optional(),
      from: ZDate.optional(),
      to: ZDate.optional(),
      leavingWithinThreeMonths: z.boolean().optional(),
      vote: ZVote.optional(),
      months: z.number().int().min(0).max(24).optional(),
      note: z.string().max(500).optional(),
    })
    .optional(),
});
const ZViolation = z.object({ code: z.string(), message: z.string(), severity: z.enum(['error', 'warning']), citation: z.object({ doc: z.string(), article: z.string() }) });

export function recruitmentRoutes(app: FastifyInstance, store: Store) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const read = { access: 'ledger.read' as const, ledger: 'applicants' };
  const write = { access: 'ledger.write' as const, ledger: 'applicants' };

  r.get('/api/recruitment/steps', { config: read, schema: { tags: ['recruitment'], summary: '发展党员的阶段与环节' } }, async () => ({
    stages: STAGES,
    steps: STEPS.map((s) => ({ code: s.code, no: s.no, label: s.label, stage: s.stage, after: s.after, repeatable: Boolean(s.repeatable) })),
    ruleSet: await getRuleSet(store.db),
  }));

  r.put('/api/recruitment/rule-set', { config: { access: 'settings.manage' }, schema: { tags: ['recruitment'], summary: '切换发展党员规则版本（2026版待核实）', body: z.object({ id: z.enum(['2014', '2026']) }) } }, async (request) => {
    const p = principalOf(request);
    await withWrite(store, p.actor, (w) => setRuleSet(w, request.body.id));
    return { id: request.body.id };
  });

  r.get('/api/recruitment/:id/timeline', { config: read, schema: { tags: ['recruitment'], summary: '个人发展时间线与下一步', params: ZId, querystring: z.object({ asOf: ZDate.optional() }) } }, async (request) => {
    const p = principalOf(request);
    return getTimeline(store, p.scope, request.params.id, request.query.asOf ?? todayInShanghai());
  });

  r.post('/api/recruitment/:id/steps/check', { config: read, schema: { tags: ['recruitment'], summary: '检查某一环节能否记录（不保存）', params: ZId, body: ZStep, response: { 200: z.object({ ok: z.boolean(), violations: z.array(ZViolation) }) } } }, async (request) => {
    const p = principalOf(request);
    const violations = await previewStep(store, p.scope, request.params.id, request.body);
    return { ok: !violations.some((v) => v.severity === 'error'), violations };
  });

  r.post('/api/recruitment/:id/steps', { config: write, schema: { tags: ['recruitment'], summary: '记录一个环节（违反规定的会被拒绝并说明依据）', params: ZId, body: ZStep } }, async (request) => {
    const p = principalOf(request);
    const warnings = await withWrite(store, p.actor, (w) => recordStep(w, p.scope, request.params.id, request.body));
    return { warnings, timeline: await getTimeline(store, p.scope, request.params.id) };
  });

  r.get('/api/recruitment/board', { config: read, schema: { tags: ['recruitment'], summary: '各支部发展党员分阶段人数', querystring: z.object({ area: z.string().max(40).optional() }) } }, async (request) => {
    const p = principalOf(request);
    return { items: await stageBoard(store, await requestScope(store, p, request.query.area)) };
  });

  r.get('/api/recruitment/reminders', { config: read, schema: { tags: ['recruitment'], summary: '提醒：一个月内到期或已逾期的环节', querystring: z.object({ area: z.string().max(40).optional(), asOf: ZDate.optional(), days: z.coerce.number().int().min(1).max(366).optional() }) } }, async (request) => {
    const p = principalOf(request);
    const scope = await requestScope(store, p, request.query.area);
    return { items: await reminders(store, scope, request.query.asOf ?? todayInShanghai(), request.query.days ?? 31) };
  });
}
