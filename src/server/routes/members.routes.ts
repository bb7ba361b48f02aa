/** The member register: transfers, rosters on a date, branch structure, and audited reveals. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ZCode, ZDate, zFreeText, zName } from '../../shared/schemas.ts';
import { todayInShanghai } from '../../domain/workdays.ts';
import type { Store } from '../../store/db.ts';
import { branchStructure, committeesOf, endCommittee, revealField, roster, setCommittee, transferHistory, transferMember } from '../../store/members.ts';
import { withWrite } from '../../store/unit-of-work.ts';
import { principalOf, requestScope } from '../http.ts';
import { ledgerDef } from './ledgers.routes.ts';

const ZId = z.object({ id: z.coerce.number().int().positive() });

export function memberRoutes(app: FastifyInstance, store: Store) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const read = { access: 'ledger.read' as const, ledger: 'members' };
  const write = { access: 'ledger.write' as const, ledger: 'members' };

  r.get('/api/members/:id/transfers', { config: read, schema: { tags: ['members'], summary: '组织关系转接记录', params: ZId } }, async (request) => {
    const p = principalOf(request);
    return { items: await transferHistory(store, p.scope, request.params.id) };
  });

  r.post(
    '/api/members/:id/transfers',
    {
      config: write,
      schema: {
        tags: ['members'],
        summary: '组织关系转接：街道内转接、转出、转入',
        params: ZId,
        body: z.object({ kind: z.enum(['between', 'out', 'in']), date: ZDate, toOrg: ZCode.optional(), outsideUnit: zName('单位', 100).pipe(z.string().min(1, '请填写单位')).optional(), note: zFreeText('备注', 500).optional() }),
      },
    },
    async (request) => {
      const p = principalOf(request);
      await withWrite(store, p.actor, (w) => transferMember(w, p.scope, request.params.id, request.body));
      return { items: await transferHistory(store, p.scope, request.params.id) };
    },
  );

  r.get('/api/orgs/:code/roster', { config: read, schema: { tags: ['members'], summary: '某日的党组织党员名单（含转接、转正）', params: z.object({ code: ZCode }), querystring: z.object({ date: ZDate.optional() }) } }, async (request) => {
    const p = principalOf(request);
    const date = request.query.date ?? todayInShanghai();
    return { date, items: await roster(store, p.scope, request.params.code, date) };
  });

  r.get('/api/orgs/:code/committees', { config: { access: 'tree.read' }, schema: { tags: ['orgs'], summary: '支部委员会（历届）', params: z.object({ code: ZCode }) } }, async (request) => {
    const p = principalOf(request);
    return { items: await committeesOf(store.db, p.scope, request.params.code) };
  });

  r.post('/api/orgs/:code/committees', { config: { access: 'tree.write' }, schema: { tags: ['orgs'], summary: '成立（换届）支部委员会', params: z.object({ code: ZCode }), body: z.object({ establishedOn: ZDate, members: z.number().int() }) } }, async (request) => {
    const p = principalOf(request);
    await withWrite(store, p.actor, (w) => setCommittee(w, p.scope, request.params.code, request.body));
    return { items: await committeesOf(store.db, p.scope, request.params.code) };
  });

  r.post('/api/orgs/:code/committees/end', { config: { access: 'tree.write' }, schema: { tags: ['orgs'], summary: '支部委员会不再设立', params: z.object({ code: ZCode }), body: z.object({ endedOn: ZDate }) } }, async (request) => {
    const p = principalOf(request);
    await withWrite(store, p.actor, (w) => endCommittee(w, p.scope, request.params.code, request.body.endedOn));
    return { items: await committeesOf(store.db, p.scope, request.params.code) };
  });

  r.get('/api/members/structure', { config: read, schema: { tags: ['members'], summary: '各党支部党员人数与结构问题', querystring: z.object({ area: ZCode.optional(), asOf: ZDate.optional() }) } }, async (request) => {
    const p = principalOf(request);
    const asOf = request.query.asOf ?? todayInShanghai();
    return { asOf, items: await branchStructure(store, await requestScope(store, p, request.query.area), asOf) };
  });

  r.post(
    '/api/ledgers/:key/records/:id/reveal',
    { config: { access: 'pii.reveal' }, schema: { tags: ['ledgers'], summary: '查看未脱敏的公民身份号码或手机号码（留痕）', params: z.object({ key: z.string().max(40), id: z.coerce.number().int().positive() }), body: z.object({ field: z.string().max(40) }), response: { 200: z.object({ value: z.string().nullable() }) } } },
    async (request) => {
      const p = principalOf(request);
      const def = ledgerDef(request.params.key);
      return { value: await withWrite(store, p.actor, (w) => revealField(w, def, p.scope, request.params.id, request.body.field)) };
    },
  );
}
