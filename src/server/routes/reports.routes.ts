/** The annual report (CONTRACTS §2): JSON with each figure's query, or Word / Markdown. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ZCode } from '../../shared/schemas.ts';
import { reportDocx, reportMarkdown } from '../../io/report-docx.ts';
import type { Store } from '../../store/db.ts';
import { composeAnnualReport } from '../../store/report.ts';
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
}
