/**
 * The area (区域) and Party organization (党组织) trees: reads scoped by area subtree, and the
 * writes that keep materialized paths right (create, edit, move a subtree, retire).
 */
import { sql } from 'kysely';
import type { AreaKind, OrgKind } from '../shared/constants.ts';
import { AppError } from '../shared/errors.ts';
import { AREA_PARENTS, ORG_PARENTS, childPath, nestingViolation, wouldCreateCycle } from '../domain/tree.ts';
import type { AreaRow, OrgRow } from './schema.ts';
import { inScope, type Scope } from './scope.ts';
import { LEDGERS } from '../domain/ledgers/catalogue.ts';
import { ledgerTable } from '../domain/ledgers/columns.ts';
import type { Reader, Write } from './unit-of-work.ts';

export interface AreaView {
  id: number;
  code: string;
  name: string;
  kind: AreaKind;
  parentCode: string | null;
  path: string;
  depth: number;
  gridType: string | null;
  retiredOn: string | null;
  version: number;
  childCount: number;
  orgCount: number;
  userCount: number;
}

export interface OrgView {
  id: number;
  code: string;
  name: string;
  kind: OrgKind;
  parentCode: string | null;
  areaCode: string;
  areaName: string;
  path: string;
  depth: number;
  category: string | null;
  foundedOn: string | null;
  dissolvedOn: string | null;
  version: number;
  childCount: number;
}

// ---------------------------------------------------------------- reads

export async function listAreas(db: Reader, scope: Scope): Promise<AreaView[]> {
  const rows = await db
    .selectFrom('areas as a')
    .leftJoin('areas as p', 'p.id', 'a.parent_id')
    .select([
      'a.id',
      'a.code',
      'a.name',
      'a.kind',
      'a.path',
      'a.depth',
      'a.grid_type',
      'a.retired_on',
      'a.version',
      'p.code as parent_code',
      (eb) => eb.selectFrom('areas as c').whereRef('c.parent_id', '=', 'a.id').select(eb.fn.countAll<number>().as('n')).as('child_count'),
      (eb) => eb.selectFrom('orgs as o').whereRef('o.area_id', '=', 'a.id').select(eb.fn.countAll<number>().as('n')).as('org_count'),
      (eb) => eb.selectFrom('users as u').whereRef('u.area_id', '=', 'a.id').select(eb.fn.countAll<number>().as('n')).as('user_count'),
    ])
    .where(inScope('a.path', scope))
    .orderBy('a.path')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    name: r.name,
    kind: r.kind as AreaKind,
    // The scope's own root shows as a root: its parent lies outside what the user may see.
    parentCode: scope.path !== null && r.path === scope.path ? null : r.parent_code,
    path: r.path,
    depth: r.depth,
    gridType: r.grid_type,
    retiredOn: r.retired_on,
    version: r.version,
    childCount: Number(r.child_count ?? 0),
    orgCount: Number(r.org_count ?? 0),
    userCount: Number(r.user_count ?? 0),
  }));
}

export async function listOrgs(db: Reader, scope: Scope): Promise<OrgView[]> {
  const rows = await db
    .selectFrom('orgs as o')
    .innerJoin('areas as a', 'a.id', 'o.area_id')
    .leftJoin('orgs as p', 'p.id', 'o.parent_id')
    .leftJoin('areas as pa', 'pa.id', 'p.area_id')
    .select([
      'o.id',
      'o.code',
      'o.name',
      'o.kind',
      'o.path',
      'o.depth',
      'o.category',
      'o.founded_on',
      'o.dissolved_on',
      'o.version',
      'a.code as area_code',
      'a.name as area_name',
      'p.code as parent_code',
      'pa.path as parent_area_path',
      (eb) => eb.selectFrom('orgs as c').whereRef('c.parent_id', '=', 'o.id').select(eb.fn.countAll<number>().as('n')).as('child_count'),
    ])
    .where(inScope('a.path', scope))
    .orderBy('o.path')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    name: r.name,
    kind: r.kind as OrgKind,
    // A parent outside the user's scope is not revealed.
    parentCode: r.parent_area_path && scope.path !== null && !r.parent_area_path.startsWith(scope.path) ? null : r.parent_code,
    areaCode: r.area_code,
    areaName: r.area_name,
    path: r.path,
    depth: r.depth,
    category: r.category,
    foundedOn: r.founded_on,
    dissolvedOn: r.dissolved_on,
    version: r.version,
    childCount: Number(r.child_count ?? 0),
  }));
}

/** An area by code, or NOT_FOUND when it does not exist or lies outside the scope. */
export async function getAreaByCode(db: Reader, scope: Scope, code: string): Promise<AreaRow> {
  const row = await db.selectFrom('areas').selectAll().where('code', '=', code).where(inScope('path', scope)).executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', `没有找到编码为“${code}”的区域`);
  return row;
}

export async function findAreaByCode(db: Reader, code: string): Promise<AreaRow | undefined> {
  return db.selectFrom('areas').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function getOrgByCode(db: Reader, scope: Scope, code: string): Promise<OrgRow & { area_path: string }> {
  const row = await db
    .selectFrom('orgs as o')
    .innerJoin('areas as a', 'a.id', 'o.area_id')
    .selectAll('o')
    .select('a.path as area_path')
    .where('o.code', '=', code)
    .where(inScope('a.path', scope))
    .executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', `没有找到编码为“${code}”的党组织`);
  return row;
}

async function codeTaken(db: Reader, code: string): Promise<'area' | 'org' | null> {
  const r = await db.selectFrom('unit_codes').select('unit_type').where('code', '=', code).executeTakeFirst();
  return r ? r.unit_type : null;
}

async function claimCode(w: Write, code: string, unitType: 'area' | 'org'): Promise<void> {
  const taken = await codeTaken(w.trx, code);
  if (taken) throw new AppError('DUPLICATE', `编码“${code}”已被${taken === 'area' ? '区域' : '党组织'}使用，区域和党组织的编码不能重复`);
  await w.trx.insertInto('unit_codes').values({ code, unit_type: unitType }).execute();
}

async function renameCode(w: Write, from: string, to: string, unitType: 'area' | 'org'): Promise<void> {
  if (from === to) return;
  await claimCode(w, to, unitType);
  await w.trx.deleteFrom('unit_codes').where('code', '=', from).execute();
}

function assertVersion(current: number, given: number | undefined): void {
  if (given !== undefined && given !== current) throw new AppError('CONFLICT');
}

// ---------------------------------------------------------------- areas

export interface AreaInput {
  code: string;
  name: string;
  kind: AreaKind;
  parentCode: string | null;
  gridType?: string | null;
}

function areaSnapshot(a: AreaRow, parentCode: string | null) {
  return { code: a.code, name: a.name, kind: a.kind, parentCode, gridType: a.grid_type, retiredOn: a.retired_on, version: a.version };
}

async function parentCodeOf(db: Reader, table: 'areas' | 'orgs', parentId: number | null): Promise<string | null> {
  if (parentId === null) return null;
  const r = await db.selectFrom(table).select('code').where('id', '=', parentId).executeTakeFirst();
  return r?.code ?? null;
}

export async function createArea(w: Write, scope: Scope, input: AreaInput): Promise<AreaRow> {
  let parent: AreaRow | null = null;
  if (input.parentCode) {
    parent = await getAreaByCode(w.trx, scope, input.parentCode).catch(() => {
      throw new AppError('VALIDATION_FAILED', `上级编码“${input.parentCode}”不存在或不在您的管辖范围内`);
    });
    if (parent.retired_on) throw new AppError('VALIDATION_FAILED', `上级区域“${parent.name}”已撤销，不能在其下新增`);
  } else if (scope.path !== null) {
    throw new AppError('AREA_FORBIDDEN', '只有全库管理员可以新增顶级区域');
  }
  const violation = nestingViolation(AREA_PARENTS, input.kind, (parent?.kind as AreaKind | undefined) ?? null);
  if (violation) throw new AppError('VALIDATION_FAILED', violation);
  if (input.kind !== '网格' && input.gridType) throw new AppError('VALIDATION_FAILED', '只有网格可以填写网格类型');
  await claimCode(w, input.code, 'area');
  const stamp = w.now.toISOString();
  const inserted = await w.trx
    .insertInto('areas')
    .values({
      code: input.code,
      name: input.name,
      kind: input.kind,
      parent_id: parent?.id ?? null,
      path: '/',
      depth: (parent?.depth ?? -1) + 1,
      grid_type: input.gridType ?? null,
      retired_on: null,
      created_at: stamp,
      created_by: w.actor.userId,
      updated_at: stamp,
      updated_by: w.actor.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const path = childPath(parent?.path ?? null, inserted.id);
  await w.trx.updateTable('areas').set({ path }).where('id', '=', inserted.id).execute();
  const row = await w.trx.selectFrom('areas').selectAll().where('id', '=', inserted.id).executeTakeFirstOrThrow();
  await w.audit({ action: 'create', entity: 'area', entityId: row.code, areaPath: row.path, after: areaSnapshot(row, input.parentCode) });
  return row;
}

export interface AreaPatch {
  code?: string;
  name?: string;
  gridType?: string | null;
  version?: number;
}

export async function updateArea(w: Write, scope: Scope, code: string, patch: AreaPatch): Promise<AreaRow> {
  const before = await getAreaByCode(w.trx, scope, code);
  assertVersion(before.version, patch.version);
  if (patch.gridType && before.kind !== '网格') throw new AppError('VALIDATION_FAILED', '只有网格可以填写网格类型');
  if (patch.code !== undefined) await renameCode(w, before.code, patch.code, 'area');
  const result = await w.trx
    .updateTable('areas')
    .set({
      code: patch.code ?? before.code,
      name: patch.name ?? before.name,
      grid_type: patch.gridType === undefined ? before.grid_type : patch.gridType,
      version: before.version + 1,
      updated_at: w.now.toISOString(),
      updated_by: w.actor.userId,
    })
    .where('id', '=', before.id)
    .where('version', '=', before.version)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw new AppError('CONFLICT');
  const after = await w.trx.selectFrom('areas').selectAll().where('id', '=', before.id).executeTakeFirstOrThrow();
  const parentCode = await parentCodeOf(w.trx, 'areas', before.parent_id);
  await w.audit({ action: 'update', entity: 'area', entityId: after.code, areaPath: after.path, before: areaSnapshot(before, parentCode), after: areaSnapshot(after, parentCode) });
  return after;
}

/** Rewrites the paths of a subtree after its root moved: one statement, indexed by prefix. */
async function rewriteSubtree(w: Write, table: 'areas' | 'orgs', oldPath: string, newPath: string, depthDelta: number) {
  await sql`update ${sql.table(table)}
    set path = ${newPath} || substr(path, ${oldPath.length + 1}), depth = depth + ${depthDelta}
    where path like ${`${oldPath}%`}`.execute(w.trx);
}

export async function moveArea(w: Write, scope: Scope, code: string, parentCode: string, version?: number): Promise<AreaRow> {
  const node = await getAreaByCode(w.trx, scope, code);
  assertVersion(node.version, version);
  if (scope.path !== null && node.path === scope.path) throw new AppError('AREA_FORBIDDEN', '不能移动您自己管辖范围的根区域');
  const parent = await getAreaByCode(w.trx, scope, parentCode).catch(() => {
    throw new AppError('VALIDATION_FAILED', `目标上级“${parentCode}”不存在或不在您的管辖范围内`);
  });
  if (wouldCreateCycle(node.path, parent.path)) throw new AppError('VALIDATION_FAILED', '不能把区域移动到它自己或它的下级之下');
  if (parent.retired_on && !node.retired_on) throw new AppError('VALIDATION_FAILED', `上级区域“${parent.name}”已撤销，不能移入`);
  const violation = nestingViolation(AREA_PARENTS, node.kind as AreaKind, parent.kind as AreaKind);
  if (violation) throw new AppError('VALIDATION_FAILED', violation);
  const oldParentCode = await parentCodeOf(w.trx, 'areas', node.parent_id);
  const newPath = childPath(parent.path, node.id);
  await rewriteSubtree(w, 'areas', node.path, newPath, parent.depth + 1 - node.depth);
  // Records carry the root of their area's tree (queries of a whole street use it): the moved
  // subtree's records now belong to the new parent's tree.
  const newRoot = Number(newPath.split('/').filter(Boolean)[0]);
  for (const def of LEDGERS) {
    await sql`update ${sql.table(ledgerTable(def.key))} set root_id = ${newRoot}
      where root_id <> ${newRoot} and area_id in (select id from areas where path like ${`${newPath}%`})`.execute(w.trx);
  }
  await w.trx
    .updateTable('areas')
    .set({ parent_id: parent.id, version: node.version + 1, updated_at: w.now.toISOString(), updated_by: w.actor.userId })
    .where('id', '=', node.id)
    .execute();
  const after = await w.trx.selectFrom('areas').selectAll().where('id', '=', node.id).executeTakeFirstOrThrow();
  await w.audit({ action: 'move', entity: 'area', entityId: code, areaPath: after.path, before: { parentCode: oldParentCode, path: node.path }, after: { parentCode, path: after.path } });
  return after;
}

/** Retires (撤销) an area on a date; it stays for history. Its children must be retired first. */
export async function retireArea(w: Write, scope: Scope, code: string, retiredOn: string, version?: number): Promise<AreaRow> {
  const node = await getAreaByCode(w.trx, scope, code);
  assertVersion(node.version, version);
  if (scope.path !== null && node.path === scope.path) throw new AppError('AREA_FORBIDDEN', '不能撤销您自己管辖范围的根区域');
  const live = await w.trx.selectFrom('areas').select('code').where('parent_id', '=', node.id).where('retired_on', 'is', null).executeTakeFirst();
  if (live) throw new AppError('VALIDATION_FAILED', `该区域下还有未撤销的下级区域（如“${live.code}”），请先撤销或移走`);
  await w.trx
    .updateTable('areas')
    .set({ retired_on: retiredOn, version: node.version + 1, updated_at: w.now.toISOString(), updated_by: w.actor.userId })
    .where('id', '=', node.id)
    .execute();
  const after = await w.trx.selectFrom('areas').selectAll().where('id', '=', node.id).executeTakeFirstOrThrow();
  await w.audit({ action: 'retire', entity: 'area', entityId: code, areaPath: node.path, before: { retiredOn: node.retired_on }, after: { retiredOn } });
  return after;
}

// ---------------------------------------------------------------- organizations

export interface OrgInput {
  code: string;
  name: string;
  kind: OrgKind;
  parentCode: string | null;
  areaCode: string;
  category?: string | null;
  foundedOn?: string | null;
  dissolvedOn?: string | null;
}

function orgSnapshot(o: OrgRow, parentCode: string | null, areaCode: string) {
  return {
    code: o.code,
    name: o.name,
    kind: o.kind,
    parentCode,
    areaCode,
    category: o.category,
    foundedOn: o.founded_on,
    dissolvedOn: o.dissolved_on,
    version: o.version,
  };
}

async function areaCodeOf(db: Reader, areaId: number): Promise<string> {
  const r = await db.selectFrom('areas').select('code').where('id', '=', areaId).executeTakeFirstOrThrow();
  return r.code;
}

export async function createOrg(w: Write, scope: Scope, input: OrgInput): Promise<OrgRow> {
  const area = await getAreaByCode(w.trx, scope, input.areaCode).catch(() => {
    throw new AppError('VALIDATION_FAILED', `所在区域编码“${input.areaCode}”不存在或不在您的管辖范围内`);
  });
  let parent: (OrgRow & { area_path: string }) | null = null;
  if (input.parentCode) {
    parent = await getOrgByCode(w.trx, scope, input.parentCode).catch(() => {
      throw new AppError('VALIDATION_FAILED', `上级编码“${input.parentCode}”不是您管辖范围内的党组织`);
    });
  } else if (scope.path !== null && scope.path !== area.path) {
    // Below the user's root area every organization hangs from one the user can see.
    throw new AppError('VALIDATION_FAILED', '请填写上级党组织编码');
  }
  const violation = nestingViolation(ORG_PARENTS, input.kind, (parent?.kind as OrgKind | undefined) ?? null);
  if (violation) throw new AppError('VALIDATION_FAILED', violation);
  // Under a dissolved organization only history may be recorded: a child dissolved no later.
  if (parent?.dissolved_on && !(input.dissolvedOn && input.dissolvedOn <= parent.dissolved_on)) {
    throw new AppError('VALIDATION_FAILED', `上级党组织“${parent.name}”已于${parent.dissolved_on}撤销，不能在其下新增`);
  }
  if (input.foundedOn && input.dissolvedOn && input.dissolvedOn < input.foundedOn) {
    throw new AppError('VALIDATION_FAILED', '撤销日期不能早于成立日期');
  }
  await claimCode(w, input.code, 'org');
  const stamp = w.now.toISOString();
  const inserted = await w.trx
    .insertInto('orgs')
    .values({
      code: input.code,
      name: input.name,
      kind: input.kind,
      parent_id: parent?.id ?? null,
      path: '/',
      depth: (parent?.depth ?? -1) + 1,
      area_id: area.id,
      category: input.category ?? null,
      founded_on: input.foundedOn ?? null,
      dissolved_on: input.dissolvedOn ?? null,
      created_at: stamp,
      created_by: w.actor.userId,
      updated_at: stamp,
      updated_by: w.actor.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const path = childPath(parent?.path ?? null, inserted.id);
  await w.trx.updateTable('orgs').set({ path }).where('id', '=', inserted.id).execute();
  const row = await w.trx.selectFrom('orgs').selectAll().where('id', '=', inserted.id).executeTakeFirstOrThrow();
  await w.audit({ action: 'create', entity: 'org', entityId: row.code, areaPath: area.path, after: orgSnapshot(row, input.parentCode, area.code) });
  return row;
}

export interface OrgPatch {
  code?: string;
  name?: string;
  areaCode?: string;
  category?: string | null;
  foundedOn?: string | null;
  version?: number;
}

export async function updateOrg(w: Write, scope: Scope, code: string, patch: OrgPatch): Promise<OrgRow> {
  const before = await getOrgByCode(w.trx, scope, code);
  assertVersion(before.version, patch.version);
  let areaId = before.area_id;
  let areaPath = before.area_path;
  if (patch.areaCode !== undefined) {
    const area = await getAreaByCode(w.trx, scope, patch.areaCode).catch(() => {
      throw new AppError('VALIDATION_FAILED', `所在区域编码“${patch.areaCode}”不存在或不在您的管辖范围内`);
    });
    areaId = area.id;
    areaPath = area.path;
  }
  const foundedOn = patch.foundedOn === undefined ? before.founded_on : patch.foundedOn;
  if (foundedOn && before.dissolved_on && before.dissolved_on < foundedOn) throw new AppError('VALIDATION_FAILED', '撤销日期不能早于成立日期');
  if (patch.code !== undefined) await renameCode(w, before.code, patch.code, 'org');
  const result = await w.trx
    .updateTable('orgs')
    .set({
      code: patch.code ?? before.code,
      name: patch.name ?? before.name,
      area_id: areaId,
      category: patch.category === undefined ? before.category : patch.category,
      founded_on: foundedOn,
      version: before.version + 1,
      updated_at: w.now.toISOString(),
      updated_by: w.actor.userId,
    })
    .where('id', '=', before.id)
    .where('version', '=', before.version)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw new AppError('CONFLICT');
  const after = await w.trx.selectFrom('orgs').selectAll().where('id', '=', before.id).executeTakeFirstOrThrow();
  const parentCode = await parentCodeOf(w.trx, 'orgs', before.parent_id);
  await w.audit({
    action: 'update',
    entity: 'org',
    entityId: after.code,
    areaPath,
    before: orgSnapshot(before, parentCode, await areaCodeOf(w.trx, before.area_id)),
    after: orgSnapshot(after, parentCode, await areaCodeOf(w.trx, areaId)),
  });
  return after;
}

export async function moveOrg(w: Write, scope: Scope, code: string, parentCode: string, version?: number): Promise<OrgRow> {
  const node = await getOrgByCode(w.trx, scope, code);
  assertVersion(node.version, version);
  const parent = await getOrgByCode(w.trx, scope, parentCode).catch(() => {
    throw new AppError('VALIDATION_FAILED', `目标上级“${parentCode}”不是您管辖范围内的党组织`);
  });
  if (wouldCreateCycle(node.path, parent.path)) throw new AppError('VALIDATION_FAILED', '不能把党组织移动到它自己或它的下级之下');
  if (parent.dissolved_on && !(node.dissolved_on && node.dissolved_on <= parent.dissolved_on)) {
    throw new AppError('VALIDATION_FAILED', `上级党组织“${parent.name}”已撤销，不能移入`);
  }
  const violation = nestingViolation(ORG_PARENTS, node.kind as OrgKind, parent.kind as OrgKind);
  if (violation) throw new AppError('VALIDATION_FAILED', violation);
  const oldParentCode = await parentCodeOf(w.trx, 'orgs', node.parent_id);
  const newPath = childPath(parent.path, node.id);
  await rewriteSubtree(w, 'orgs', node.path, newPath, parent.depth + 1 - node.depth);
  await w.trx
    .updateTable('orgs')
    .set({ parent_id: parent.id, version: node.version + 1, updated_at: w.now.toISOString(), updated_by: w.actor.userId })
    .where('id', '=', node.id)
    .execute();
  const after = await w.trx.selectFrom('orgs').selectAll().where('id', '=', node.id).executeTakeFirstOrThrow();
  await w.audit({ action: 'move', entity: 'org', entityId: code, areaPath: node.area_path, before: { parentCode: oldParentCode, path: node.path }, after: { parentCode, path: after.path } });
  return after;
}

/** Dissolves (撤销) an organization on a date; its sub-organizations must be dissolved first. */
export async function dissolveOrg(w: Write, scope: Scope, code: string, dissolvedOn: string, version?: number): Promise<OrgRow> {
  const node = await getOrgByCode(w.trx, scope, code);
  assertVersion(node.version, version);
  if (node.founded_on && dissolvedOn < node.founded_on) throw new AppError('VALIDATION_FAILED', '撤销日期不能早于成立日期');
  const live = await w.trx.selectFrom('orgs').select('code').where('parent_id', '=', node.id).where('dissolved_on', 'is', null).executeTakeFirst();
  if (live) throw new AppError('VALIDATION_FAILED', `该党组织下还有未撤销的下级组织（如“${live.code}”），请先撤销或移走`);
  await w.trx
    .updateTable('orgs')
    .set({ dissolved_on: dissolvedOn, version: node.version + 1, updated_at: w.now.toISOString(), updated_by: w.actor.userId })
    .where('id', '=', node.id)
    .execute();
  const after = await w.trx.selectFrom('orgs').selectAll().where('id', '=', node.id).executeTakeFirstOrThrow();
  await w.audit({ action: 'retire', entity: 'org', entityId: code, areaPath: node.area_path, before: { dissolvedOn: node.dissolved_on }, after: { dissolvedOn } });
  return after;
}
