/** 组织生活 compliance (CONTRACTS §2) and the street's stricter rules. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ZCode, ZDate } from '../../shared/schemas.ts';
import { todayInShanghai } from '../../domain/workdays.ts';
import type { Store } from '../../store/db.ts';
import { compliance, getMeetingRules, setMeetingRules } from '../../store/compliance.ts';
import { withWrite } from '../../store/unit-of-work.ts';
import { principalOf, requestScope } from '../http.ts';

const ZCell = z.object({ meetingType: z.string(), period: z.string(), required: z.number(), held: z.number(), status: z.enum(['met', 'missed', 'due', 'na']), notCounted: z.number().optional() });
const ZCompliance = z.object({
  rows: z.array(z.object({ org: z.string(), orgName: z.string(), cells: z.array(ZCell) })),
  findings: z.array(z.object({ org: z.string(), meetingType: z.string(), period: z.string(), message: z.string(), rule: z.string() })),
});

export function complianceRoutes(app: FastifyInstance, store: Store) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/compliance',
    {
      // A district's answer holds ~170,000 cells built by our own typed code: the schema documents
      // it, and re-validating it on the way out would cost more than computing it (tests check it).
      config: { access: 'ledger.read', ledger: 'meetings', largeResponse: true },
      schema: { tags: ['compliance'], summary: '组织生活落实情况（党组织 × 期间）', querystring: z.object({ area: ZCode.optional(), year: z.coerce.number().int().min(2000).max(2100), asOf: ZDate.optional() }), response: { 200: ZCompliance } },
    },
    async (request) => {
      const p = principalOf(request);
      const scope = await requestScope(store, p, request.query.area);
      return compliance(store, scope, request.query.year, request.query.asOf ?? todayInShanghai());
    },
  );

  r.get('/api/compliance/rules', { config: { access: 'ledger.read', ledger: 'meetings' }, schema: { tags: ['compliance'], summary: '组织生活规则（含本街道从严要求）' } }, async () => ({ items: await getMeetingRules(store.db) }));

  r.put(
    '/api/compliance/rules',
    { config: { access: 'settings.manage' }, schema: { tags: ['compliance'], summary: '从严调整组织生活次数要求（只能调高）', body: z.record(z.string().max(20), z.number().int()) } },
    async (request) => {
      const p = principalOf(request);
      return { items: await withWrite(store, p.actor, (w) => setMeetingRules(w, request.body)) };
    },
  );
}
