/** The annual report (CONTRACTS §2): JSON with each figure's query, or Word / Markdown. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ZCode } from '../../shared/schemas.ts';
import { reportDocx, reportMarkdown } from '../../io/report-docx.ts';
import type { Store } from '../../store/db.ts';
import { composeAnnualReport, getTemplate, saveTemplate } from '../../store/report.ts';
import { dashboard } from '../../store/dashboard.ts';
import { decideCorrection, finalizeReport, getFinalized, listCorrections, reportDiff, requestCorrection } from '../../store/finalize.ts';
import { AppError } from '../../shared/errors.ts';
import { withWrite } from '../../store/unit-of-work.ts';
import { principalOf, requestScope } from '../http.ts';

export function reportRoutes(app: FastifyInstance, store: Store) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/reports/annual',
    {
      config: { access: 'reports.read' },
      schema: {
        tags: ['reports'],
        summary: '年度述职报告（每个数字附其查询）；format=docx 为公文格式Word，format=md 为Markdown',
        querystring: z.object({ area: ZCode.optional(), year: z.coerce.number().int().min(2000).max(2100), format: z.enum(['json', 'docx', 'md']).optional() }),
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const scope = await requestScope(store, p, request.query.area);
      const areaCode = request.query.area ?? p.user.areaCode ?? (await store.db.selectFrom('areas').select('code').where('parent_id', 'is', null).orderBy('id').executeTakeFirstOrThrow()).code;
      const report = await composeAnnualReport(store, scope, areaCode, request.query.year);
      const format = request.query.format ?? 'json';
      if (format === 'json') return report;
      await withWrite(store, p.actor, (w) => w.audit({ action: 'export', entity: 'report', entityId: `${areaCode}-${request.query.year}`, detail: { format } }));
      const name = encodeURIComponent(`${report.title}.${format}`);
      reply.header('Content-Disposition', `attachment; filename="report.${format}"; filename*=UTF-8''${name}`);
      if (format === 'md') return reply.type('text/markdown; charset=utf-8').send(reportMarkdown(report));
      return reply.type('application/vnd.openxmlformats-officedocument.wordprocessingml.document').send(await reportDocx(report));
    },
  );

  const ZAreaYear = z.object({ area: ZCode.optional(), year: z.coerce.number().int().min(2000).max(2100) });
  const areaOf = async (p: ReturnType<typeof principalOf>, code: string | undefined) =>
    code ?? p.user.areaCode ?? (await store.db.selectFrom('areas').select('code').where('parent_id', 'is', null).orderBy('id').executeTakeFirstOrThrow()).code;

  r.get('/api/dashboard', { config: { access: 'reports.read' }, schema: { tags: ['reports'], summary: '工作台：年度关键数字（含上年）、组织生活、目标、趋势、结构；每项附查询', querystring: ZAreaYear } }, async (request) => {
    const p = principalOf(request);
    const scope = await requestScope(store, p, request.query.area);
    return dashboard(store, scope, await areaOf(p, request.query.area), request.query.year);
  });

  const ZFigure = z.object({
    key: z.string().regex(/^\w{1,40}$/),
    label: z.string().min(1).max(60),
    ledger: z.string().max(40),
    measure: z.string().max(200),
    filters: z.record(z.string().max(40), z.string().max(500)).optional(),
    dateField: z.string().max(40).optional(),
    range: z.enum(['year', 'yearEnd']).optional(),
    format: z.enum(['count', 'wan', 'percent', 'decimal']).optional(),
  });
  const ZTemplate = z.object({
    title: z.string().min(1).max(100),
    opening: z.string().max(2000),
    achievements: z.array(z.object({ title: z.string().min(1).max(100), paragraphs: z.array(z.object({ text: z.string().min(1).max(3000), figures: z.array(ZFigure).max(40) })).max(30) })).max(20),
    causes: z.array(z.string().max(2000)).max(20),
    plans: z.array(z.string().max(2000)).max(20),
  });

  r.get('/api/reports/annual/template', { config: { access: 'reports.read' }, schema: { tags: ['reports'], summary: '报告模板（本街道的措辞，或默认模板）', querystring: ZAreaYear } }, async (request) => {
    const p = principalOf(request);
    await requestScope(store, p, request.query.area);
    return getTemplate(store, await areaOf(p, request.query.area), request.query.year);
  });

  r.put('/api/reports/annual/template', { config: { access: 'targets.write' }, schema: { tags: ['reports'], summary: '保存本街道的报告模板：修改措辞，增删、调整段落和数字（每个数字须是有效的指标查询）', body: ZAreaYear.extend({ template: ZTemplate }) } }, async (request) => {
    const p = principalOf(request);
    const scope = await requestScope(store, p, request.body.area);
    await saveTemplate(store, p.actor, scope, await areaOf(p, request.body.area), request.body.year, request.body.template);
    return { ok: true };
  });

  r.post('/api/reports/annual/finalize', { config: { access: 'reports.finalize' }, schema: { tags: ['reports'], summary: '定稿封账：保存报告及其数字，之后该年度记录只能经审批更正', body: ZAreaYear } }, async (request) => {
    const p = principalOf(request);
    const scope = await requestScope(store, p, request.body.area);
    return finalizeReport(store, p.actor, scope, await areaOf(p, request.body.area), request.body.year);
  });

  r.get('/api/reports/annual/finalized', { config: { access: 'reports.read' }, schema: { tags: ['reports'], summary: '已定稿的报告（原样）', querystring: ZAreaYear.extend({ format: z.enum(['json', 'docx']).optional() }) } }, async (request, reply) => {
    const p = principalOf(request);
    const scope = await requestScope(store, p, request.query.area);
    const f = await getFinalized(store, scope, await areaOf(p, request.query.area), request.query.year);
    if (!f) throw new AppError('NOT_FOUND', `${request.query.year}年度报告尚未定稿`);
    reply.header('X-Report-Sha256', f.sha256);
    if (request.query.format === 'docx') {
      return reply.type('application/vnd.openxmlformats-officedocument.wordprocessingml.document').header('Content-Disposition', `attachment; filename="report.docx"; filename*=UTF-8''${encodeURIComponent(`${f.report.title}（定稿）.docx`)}`).send(f.docx);
    }
    return reply.type('application/json; charset=utf-8').send(f.json);
  });

  r.get('/api/reports/annual/diff', { config: { access: 'reports.read' }, schema: { tags: ['reports'], summary: '差异：定稿后数字发生变化的指标', querystring: ZAreaYear } }, async (request) => {
    const p = principalOf(request);
    const scope = await requestScope(store, p, request.query.area);
    return reportDiff(store, scope, await areaOf(p, request.query.area), request.query.year);
  });

  r.get('/api/corrections', { config: { access: 'reports.read' }, schema: { tags: ['reports'], summary: '封账期间的更正申请', querystring: z.object({ area: ZCode.optional(), status: z.enum(['pending', 'approved', 'rejected']).optional() }) } }, async (request) => {
    const p = principalOf(request);
    return { items: await listCorrections(store, await requestScope(store, p, request.query.area), request.query.status) };
  });

  r.post('/api/corrections', { config: { access: 'ledger.write', ledger: 'corrections' }, schema: { tags: ['reports'], summary: '对封账期间的记录提出更正申请', body: z.object({ ledger: z.string().max(40), recordId: z.number().int().positive(), changes: z.record(z.string(), z.unknown()), reason: z.string().trim().min(2, '请说明更正原因').max(500) }) } }, async (request) => {
    const p = principalOf(request);
    return { id: await requestCorrection(store, p.actor, p.scope, request.body) };
  });

  r.post('/api/corrections/:id/decision', { config: { access: 'reports.finalize' }, schema: { tags: ['reports'], summary: '审批更正申请（领导）', params: z.object({ id: z.coerce.number().int().positive() }), body: z.object({ approve: z.boolean() }) } }, async (request) => {
    const p = principalOf(request);
    await decideCorrection(store, p.actor, p.scope, request.params.id, request.body.approve);
    return { ok: true };
  });
}
