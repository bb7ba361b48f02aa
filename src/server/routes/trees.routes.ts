import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../shared/errors.ts';
import { ZArea, ZAreaQuery, ZCode, ZCreateArea, ZCreateOrg, ZMove, ZOrg, ZRetire, ZUpdateArea, ZUpdateOrg } from '../../shared/schemas.ts';
import type { Store } from '../../store/db.ts';
import {
  createArea,
  createOrg,
  dissolveOrg,
  listAreas,
  listOrgs,
  moveArea,
  moveOrg,
  retireArea,
  updateArea,
  updateOrg,
} from '../../store/trees.repository.ts';
import { withWrite } from '../../store/unit-of-work.ts';
import { principalOf, requestScope } from '../http.ts';

const ZCodeParam = z.object({ code: ZCode });

export function treeRoutes(app: FastifyInstance, store: Store) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  async function areaView(code: string, scope: { path: string | null }) {
    const found = (await listAreas(store.db, scope)).find((a) => a.code === code);
    if (!found) throw new AppError('NOT_FOUND');
    return found;
  }
  async function orgView(code: string, scope: { path: string | null }) {
    const found = (await listOrgs(store.db, scope)).find((o) => o.code === code);
    if (!found) throw new AppError('NOT_FOUND');
    return found;
  }

  r.get('/api/areas', { config: { access: 'tree.read' }, schema: { tags: ['areas'], summary: '区域树（含下级数、党组织数）', querystring: ZAreaQuery, response: { 200: z.object({ items: z.array(ZArea) }) } } }, async (request) => {
    const p = principalOf(request);
    return { items: await listAreas(store.db, await requestScope(store, p, request.query.area)) };
  });
  r.get('/api/areas/:code', { config: { access: 'tree.read' }, schema: { tags: ['areas'], params: ZCodeParam, response: { 200: ZArea } } }, async (request) => {
    return areaView(request.params.code, principalOf(request).scope);
  });
  r.post('/api/areas', { config: { access: 'tree.write' }, schema: { tags: ['areas'], summary: '新增区域', body: ZCreateArea, response: { 200: ZArea } } }, async (request) => {
    const p = principalOf(request);
    const row = await withWrite(store, p.actor, (w) => createArea(w, p.scope, { ...request.body, parentCode: request.body.parentCode ?? null }));
    return areaView(row.code, p.scope);
  });
  r.patch('/api/areas/:code', { config: { access: 'tree.write' }, schema: { tags: ['areas'], params: ZCodeParam, body: ZUpdateArea, response: { 200: ZArea } } }, async (request) => {
    const p = principalOf(request);
    const row = await withWrite(store, p.actor, (w) => updateArea(w, p.scope, request.params.code, request.body));
    return areaView(row.code, p.scope);
  });
  r.post('/api/areas/:code/move', { config: { access: 'tree.write' }, schema: { tags: ['areas'], summary: '移动区域（连同下级）', params: ZCodeParam, body: ZMove, response: { 200: ZArea } } }, async (request) => {
    const p = principalOf(request);
    const row = await withWrite(store, p.actor, (w) => moveArea(w, p.scope, request.params.code, request.body.parentCode, request.body.version));
    return areaView(row.code, p.scope);
  });
  r.post('/api/areas/:code/retire', { config: { access: 'tree.write' }, schema: { tags: ['areas'], summary: '撤销区域', params: ZCodeParam, body: ZRetire, response: { 200: ZArea } } }, async (request) => {
    const p = principalOf(request);
    const row = await withWrite(store, p.actor, (w) => retireArea(w, p.scope, request.params.code, request.body.date, request.body.version));
    return areaView(row.code, p.scope);
  });

  r.get('/api/orgs', { config: { access: 'tree.read' }, schema: { tags: ['orgs'], summary: '党组织树', querystring: ZAreaQuery, response: { 200: z.object({ items: z.array(ZOrg) }) } } }, async (request) => {
    const p = principalOf(request);
    return { items: await listOrgs(store.db, await requestScope(store, p, request.query.area)) };
  });
  r.get('/api/orgs/:code', { config: { access: 'tree.read' }, schema: { tags: ['orgs'], params: ZCodeParam, response: { 200: ZOrg } } }, async (request) => {
    return orgView(request.params.code, principalOf(request).scope);
  });
  r.post('/api/orgs', { config: { access: 'tree.write' }, schema: { tags: ['orgs'], summary: '新增党组织', body: ZCreateOrg, response: { 200: ZOrg } } }, async (request) => {
    const p = principalOf(request);
    const row = await withWrite(store, p.actor, (w) => createOrg(w, p.scope, { ...request.body, parentCode: request.body.parentCode ?? null }));
    return orgView(row.code, p.scope);
  });
  r.patch('/api/orgs/:code', { config: { access: 'tree.write' }, schema: { tags: ['orgs'], params: ZCodeParam, body: ZUpdateOrg, response: { 200: ZOrg } } }, async (request) => {
    const p = principalOf(request);
    const row = await withWrite(store, p.actor, (w) => updateOrg(w, p.scope, request.params.code, request.body));
    return orgView(row.code, p.scope);
  });
  r.post('/api/orgs/:code/move', { config: { access: 'tree.write' }, schema: { tags: ['orgs'], summary: '移动党组织（连同下级）', params: ZCodeParam, body: ZMove, response: { 200: ZOrg } } }, async (request) => {
    const p = principalOf(request);
    const row = await withWrite(store, p.actor, (w) => moveOrg(w, p.scope, request.params.code, request.body.parentCode, request.body.version));
    return orgView(row.code, p.scope);
  });
  r.post('/api/orgs/:code/retire', { config: { access: 'tree.write' }, schema: { tags: ['orgs'], summary: '撤销党组织', params: ZCodeParam, body: ZRetire, response: { 200: ZOrg } } }, async (request) => {
    const p = principalOf(request);
    const row = await withWrite(store, p.actor, (w) => dissolveOrg(w, p.scope, request.params.code, request.body.date, request.body.version));
    return orgView(row.code, p.scope);
  });
}
