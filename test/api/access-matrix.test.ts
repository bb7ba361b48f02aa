/**
 * The access matrix (acceptance item): every API route × every role × a target inside and
 * outside the user's area scope, checked against CONTRACTS §2:
 *   401 without sign-in · 403 FORBIDDEN when the role lacks the permission · 403 AREA_FORBIDDEN
 *   for `area=` outside the scope · 404 for a record outside the scope · 2xx when allowed.
 * A reference to a code outside the scope (a parent, an area) is answered exactly as one to a
 * code that does not exist, so the answer does not reveal that it exists.
 *
 * The permission table below is written from the contract's role list (and domain/policy.ts as
 * its reading); it is deliberately not imported, so a change to the policy shows up here.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadDemo } from '../../src/demo/demo.ts';
import { idCheckChar } from '../../src/domain/id-number.ts';
import type { Store } from '../../src/store/db.ts';
import { dialects, freshStore } from '../helpers/db.ts';
import { Client, startServer, type Answer, type Running } from '../helpers/http.ts';
import { nextTotpCode, totpCode } from '../helpers/totp.ts';

const PASSWORD = 'Demo@2026jc';

type Role = 'admin' | 'leader' | 'clerk' | 'grid' | 'viewer' | 'sysadmin' | 'secadmin' | 'auditor';
type Perm = 'tree.read' | 'tree.write' | 'users.read' | 'users.manage' | 'users.grant' | 'audit.read' | 'exports.grant' | 'settings.manage' | 'tokens.create' | 'pii.reveal' | 'reports.read' | 'reports.finalize' | 'targets.write';

const MAY: Record<Perm, Role[]> = {
  'tree.read': ['admin', 'leader', 'clerk', 'grid', 'viewer', 'sysadmin', 'secadmin'],
  'tree.write': ['admin', 'clerk'],
  'users.read': ['admin', 'sysadmin', 'secadmin'],
  'users.manage': ['admin', 'sysadmin'],
  'users.grant': ['admin', 'secadmin'],
  'audit.read': ['admin', 'auditor'],
  'exports.grant': ['secadmin'],
  'settings.manage': ['admin', 'sysadmin'],
  'tokens.create': ['admin', 'leader', 'clerk', 'grid', 'viewer', 'sysadmin'],
  'pii.reveal': ['admin'],
  'reports.read': ['admin', 'leader', 'clerk', 'viewer'],
  'reports.finalize': ['admin', 'leader'],
  'targets.write': ['admin', 'leader', 'clerk'],
};

/** Codes inside a user's scope the cases work on. */
interface Inside {
  /** an area to read and to pass as `area=` */
  area: string;
  /** an area a fresh 网格 may hang from, and a second one to move it to */
  parent: string;
  altParent: string;
  /** an organization to read */
  org: string;
  /** a 党支部 a fresh 党小组 may hang from (with its area), and a second one to move it to */
  branch: string;
  branchArea: string;
  altBranch: string;
  /** a 网格 inside, where ledger records are kept */
  grid: string;
}

/** Codes outside a user's scope; for the whole-database admin, codes that do not exist. */
interface Outside {
  area: string;
  /** a 网格 outside (to edit, move, retire) */
  leaf: string;
  org: string;
  branch: string;
  branchArea: string;
  /** a 党小组 outside (to edit, move, retire) */
  orgLeaf: string;
  /** a user outside (filled in by the set-up) */
  user: string;
  /** codes that must not appear in the user's lists */
  hidden: string[];
}

interface Who {
  name: string;
  role: Role;
  inside: Inside;
  outside: Outside;
}

const DH_INSIDE: Inside = {
  area: 'DH-S03',
  parent: 'DH-S03',
  altParent: 'DH-S04',
  org: 'DH-S03-DW',
  branch: 'DH-S03-DW-ZB1',
  branchArea: 'DH-S03',
  altBranch: 'DH-S04-DW-ZB1',
  grid: 'MX-G-S03',
};
const DH_OUTSIDE: Outside = {
  area: 'XH-S01',
  leaf: 'XH-S01-MXW',
  org: 'XH-S01-DW',
  branch: 'XH-S01-DW-ZB1',
  branchArea: 'XH-S01',
  orgLeaf: 'XH-S01-MXG',
  user: 'xhuser',
  hidden: ['XH', 'XH-S01', 'XH-S01-MXW'],
};
const S01_OUTSIDE: Outside = {
  area: 'DH-S02',
  leaf: 'DH-S02-MXW',
  org: 'DH-S02-DW',
  branch: 'DH-S02-DW-ZB1',
  branchArea: 'DH-S02',
  orgLeaf: 'DH-S02-MXG',
  user: 'mxout',
  hidden: ['DH', 'DH-S02', 'DH-S02-MXW', 'XH'],
};

const WHO: Who[] = [
  {
    name: 'admin',
    role: 'admin',
    inside: DH_INSIDE,
    outside: { area: 'NX-AREA', leaf: 'NX-LEAF', org: 'NX-ORG', branch: 'NX-BR', branchArea: 'NX-AREA', orgLeaf: 'NX-ORGL', user: '', hidden: [] },
  },
  ...(['leader', 'clerk', 'viewer', 'sysadmin', 'secadmin', 'auditor'] as const).map((r): Who => ({ name: r, role: r, inside: DH_INSIDE, outside: DH_OUTSIDE })),
  {
    name: 'sq01',
    role: 'clerk',
    inside: { area: 'DH-S01-X01', parent: 'DH-S01-X01', altParent: 'DH-S01-X02', org: 'DH-S01-X01-ZB', branch: 'DH-S01-X01-ZB', branchArea: 'DH-S01-X01', altBranch: 'DH-S01-X02-ZB', grid: 'MX-G-X01' },
    outside: S01_OUTSIDE,
  },
  {
    name: 'grid',
    role: 'grid',
    // The grid user's whole scope is one 小区 and its 网格: writes are refused by role anyway.
    inside: { area: 'DH-S01-X01', parent: 'DH-S01-X01', altParent: 'DH-S01-X01', org: 'DH-S01-X01-ZB', branch: 'DH-S01-X01-ZB', branchArea: 'DH-S01-X01', altBranch: 'DH-S01-X01-ZB', grid: 'MX-G-X01' },
    outside: { ...S01_OUTSIDE, hidden: ['DH', 'DH-S01', 'DH-S01-X02', 'DH-S02', 'XH'] },
  },
];

/** Ledger rights (CONTRACTS §2 roles): clerks write every ledger, leaders and viewers read them,
 * the grid role works in inspections and residents' requests, the three administrators see none. */
const GRID_LEDGERS = ['inspections', 'services'];
function mayLedger(role: Role, key: string, mode: 'read' | 'write'): boolean {
  if (role === 'admin' || role === 'clerk') return true;
  if (role === 'leader' || role === 'viewer') return mode === 'read';
  if (role === 'grid') return GRID_LEDGERS.includes(key);
  return false;
}

type Where = 'inside' | 'outside' | 'missing';

interface Ctx {
  admin: Client;
  /** a second writer (the DH clerk), for requests the admin then decides */
  clerk: Client;
  base: string;
  /** user name → id, for PATCH /api/users/:id */
  userIds: Map<string, number>;
  /** `${ledger}:${grid}` → a record kept there; `deleted:${ledger}:${grid}` → a deleted one */
  records: Map<string, { id: number; version: number }>;
  /** an import whose progress anyone signed in may poll */
  progressId: string;
  /** user name → the two-factor secret they enrolled with */
  totpSecrets: Map<string, string>;
}

/**
 * How a target outside the scope is answered: `area` — `area=` outside → 403 AREA_FORBIDDEN
 * (404 for a whole-database user naming an area that does not exist); `record` — 404;
 * `ref` — a referenced code outside answers exactly like a missing one (and is refused);
 * `list` — 200, but nothing outside is listed (checked by `check`); none — the route has no scope.
 */
type OutsideRule = 'area' | 'record' | 'ref' | 'list';

interface RouteSpec {
  method: string;
  /** as /api/openapi.json spells it */
  path: string;
  access: Perm | 'public' | 'signedIn' | { ledger: string; mode: 'read' | 'write' };
  outside?: OutsideRule;
  /** shown in the test name (the ledger a ledger route is tried on) */
  note?: string;
  /** only an anonymous call makes sense (sign-in) */
  anonymousOnly?: boolean;
  call(ctx: Ctx, c: Client, u: Who, where: Where): Promise<Answer>;
  /** further checks of an allowed answer */
  check?(ctx: Ctx, a: Answer, u: Who, where: Where, c: Client): Promise<void> | void;
}

let seq = 0;
const fresh = (prefix = 'MX') => `${prefix}${++seq}`;

async function ok<T = any>(a: Promise<Answer<T>>, what: string): Promise<T> {
  const r = await a;
  assert.equal(r.status, 200, `${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** A fresh 网格 made by the admin under `parent`: {code, version}. */
async function freshGrid(ctx: Ctx, parent: string): Promise<{ code: string; version: number }> {
  const code = fresh();
  const body = await ok(ctx.admin.post('/api/areas', { code, name: '矩阵测试网格', kind: '网格', parentCode: parent, gridType: '城镇社区网格' }), `set-up area ${code}`);
  return { code, version: body.version };
}

/** A fresh 党小组 made by the admin under the 党支部 `branch` in `area`. */
async function freshGroup(ctx: Ctx, branch: string, area: string): Promise<{ code: string; version: number }> {
  const code = fresh();
  const body = await ok(ctx.admin.post('/api/orgs', { code, name: '矩阵测试党小组', kind: '党小组', parentCode: branch, areaCode: area }), `set-up org ${code}`);
  return { code, version: body.version };
}

async function areaVersion(ctx: Ctx, code: string): Promise<number> {
  const r = await ctx.admin.get(`/api/areas/${code}`);
  return r.status === 200 ? r.body.version : 1;
}
async function orgVersion(ctx: Ctx, code: string): Promise<number> {
  const r = await ctx.admin.get(`/api/orgs/${code}`);
  return r.status === 200 ? r.body.version : 1;
}
async function userVersion(ctx: Ctx, id: number): Promise<number> {
  const r = await ctx.admin.get('/api/users');
  const u = (r.body.items as Array<{ id: number; version: number }>).find((x) => x.id === id);
  return u?.version ?? 1;
}

function csvFile(text: string, name = 'areas.csv'): FormData {
  const fd = new FormData();
  fd.append('file', new Blob([new TextEncoder().encode(text)], { type: 'text/csv' }), name);
  return fd;
}


// ------------------------------------------------------------ ledgers and metrics

/** A record of `ledger` kept in the 网格 `grid` (both ledgers here take a 网格 as their area). */
function recordBody(ledger: string, grid: string): Record<string, unknown> {
  if (ledger === 'inspections') {
    return { date: '2026-03-02', grid, objectType: '商户', objectName: '矩阵排查商户', inspector: '张三', hazards: 2, rectified: 1 };
  }
  return { date: '2026-03-02', area: grid, type: '火灾', liability: '否', account: '矩阵测试事故经过' };
}
const TEXT_FIELD: Record<string, string> = { inspections: 'objectName', incidents: 'type' };

async function freshRecord(ctx: Ctx, ledger: string, grid: string): Promise<{ id: number; version: number }> {
  const body = await ok(ctx.admin.post(`/api/ledgers/${ledger}/records`, recordBody(ledger, grid)), `set-up ${ledger} record`);
  return { id: body.id, version: body.version };
}

function outsideRecord(ctx: Ctx, ledger: string, u: Who, deleted = false): { id: number; version: number } {
  return ctx.records.get(`${deleted ? 'deleted:' : ''}${ledger}:${u.outside.leaf}`) ?? { id: 99_999_999, version: 1 };
}

function ledgerSpecs(ledger: string): RouteSpec[] {
  const read = { ledger, mode: 'read' as const };
  const write = { ledger, mode: 'write' as const };
  const field = TEXT_FIELD[ledger]!;
  return [
    {
      method: 'GET',
      path: '/api/ledgers/{key}/records',
      note: ledger,
      access: read,
      outside: 'area',
      call: (_ctx, c, u, where) => c.get(`/api/ledgers/${ledger}/records?area=${where === 'inside' ? u.inside.area : u.outside.area}&pageSize=500`),
      check: async (ctx, a, u, _where, c) => {
        const mine = ctx.records.get(`${ledger}:${u.inside.grid}`)!;
        assert.ok((a.body.items as Array<{ id: number }>).some((r) => r.id === mine.id), 'the record inside is listed');
        const all = await c.get(`/api/ledgers/${ledger}/records?pageSize=500`);
        assert.equal(all.status, 200);
        const ids = new Set((all.body.items as Array<{ id: number }>).map((r) => r.id));
        assert.ok(ids.has(mine.id));
        if (u.role !== 'admin') assert.ok(!ids.has(outsideRecord(ctx, ledger, u).id), 'the record outside is not listed');
        assert.equal(all.body.total, all.body.items.length);
      },
    },
    {
      method: 'POST',
      path: '/api/ledgers/{key}/records',
      note: ledger,
      access: write,
      outside: 'ref',
      call: (_ctx, c, u, where) => c.post(`/api/ledgers/${ledger}/records`, recordBody(ledger, where === 'inside' ? u.inside.grid : where === 'outside' ? u.outside.leaf : 'NX-MISSING')),
      check: (_ctx, a, u) => {
        assert.equal(a.body.areaCode, u.inside.grid);
        assert.equal(a.body.version, 1);
      },
    },
    {
      method: 'GET',
      path: '/api/ledgers/{key}/records/{id}',
      note: ledger,
      access: read,
      outside: 'record',
      call: (ctx, c, u, where) => {
        const r = where === 'inside' ? ctx.records.get(`${ledger}:${u.inside.grid}`)! : outsideRecord(ctx, ledger, u);
        return c.get(`/api/ledgers/${ledger}/records/${r.id}`);
      },
      check: (ctx, a, u) => assert.equal(a.body.id, ctx.records.get(`${ledger}:${u.inside.grid}`)!.id),
    },
    {
      method: 'PATCH',
      path: '/api/ledgers/{key}/records/{id}',
      note: ledger,
      access: write,
      outside: 'record',
      call: async (ctx, c, u, where) => {
        const r = where === 'inside' ? await freshRecord(ctx, ledger, u.inside.grid) : outsideRecord(ctx, ledger, u);
        return c.patch(`/api/ledgers/${ledger}/records/${r.id}`, { [field]: '矩阵改过', version: r.version });
      },
      check: (_ctx, a) => {
        assert.equal(a.body[field], '矩阵改过');
        assert.equal(a.body.version, 2);
      },
    },
    {
      method: 'DELETE',
      path: '/api/ledgers/{key}/records/{id}',
      note: ledger,
      access: write,
      outside: 'record',
      call: async (ctx, c, u, where) => {
        const r = where === 'inside' ? await freshRecord(ctx, ledger, u.inside.grid) : outsideRecord(ctx, ledger, u);
        return c.request('DELETE', `/api/ledgers/${ledger}/records/${r.id}`, { version: r.version });
      },
      check: (_ctx, a) => assert.equal(a.body.ok, true),
    },
    {
      method: 'POST',
      path: '/api/ledgers/{key}/records/{id}/restore',
      note: ledger,
      access: write,
      outside: 'record',
      call: async (ctx, c, u, where) => {
        if (where === 'inside') {
          const r = await freshRecord(ctx, ledger, u.inside.grid);
          await ok(ctx.admin.request('DELETE', `/api/ledgers/${ledger}/records/${r.id}`, { version: r.version }), 'set-up delete');
          return c.post(`/api/ledgers/${ledger}/records/${r.id}/restore`, {});
        }
        return c.post(`/api/ledgers/${ledger}/records/${outsideRecord(ctx, ledger, u, true).id}/restore`, {});
      },
      check: (_ctx, a) => assert.equal(a.body.deletedAt, undefined),
    },
    {
      method: 'GET',
      path: '/api/ledgers/{key}/export',
      note: ledger,
      access: read,
      outside: 'area',
      call: (_ctx, c, u, where) => c.get(`/api/ledgers/${ledger}/export?format=csv&area=${where === 'inside' ? u.inside.area : u.outside.area}`),
      check: (_ctx, a) => {
        assert.match(a.headers.get('content-type') ?? '', /text\/csv/);
        assert.ok(String(a.body).includes('2026-03-02'), 'the record inside is exported');
      },
    },
    {
      method: 'GET',
      path: '/api/metrics/query',
      note: ledger,
      access: read,
      outside: 'area',
      call: (_ctx, c, u, where) => c.get(`/api/metrics/query?ledger=${ledger}&measure=count&area=${where === 'inside' ? u.inside.area : u.outside.area}`),
      check: (_ctx, a) => {
        assert.equal(typeof a.body.value, 'number');
        assert.ok(a.body.value >= 1, 'the record inside is counted');
      },
    },
    {
      method: 'GET',
      path: '/api/metrics/records',
      note: ledger,
      access: read,
      outside: 'area',
      call: (_ctx, c, u, where) => c.get(`/api/metrics/records?ledger=${ledger}&measure=count&pageSize=500&area=${where === 'inside' ? u.inside.area : u.outside.area}`),
      check: (ctx, a, u) => {
        const mine = ctx.records.get(`${ledger}:${u.inside.grid}`)!;
        assert.ok((a.body.items as Array<{ id: number }>).some((r) => r.id === mine.id));
      },
    },
  ];
}

// ------------------------------------------------------------ 发展党员

let applicantSeq = 0;
/** A fresh applicant (valid, unique 公民身份号码) in the 党支部 `branch`, made by the admin. */
async function freshApplicant(ctx: Ctx, branch: string): Promise<number> {
  const body17 = `11010519900101${String(100 + ++applicantSeq * 2 + 1).slice(-3)}`;
  const body = await ok(
    ctx.admin.post('/api/ledgers/applicants/records', { 姓名: '矩阵申请人', 性别: '男', 公民身份号码: body17 + idCheckChar(body17), 所在党组织编码: branch, 申请入党日期: '2026-01-05' }),
    'set-up applicant',
  );
  return body.id;
}

function recruitmentSpecs(): RouteSpec[] {
  const read = { ledger: 'applicants', mode: 'read' as const };
  const write = { ledger: 'applicants', mode: 'write' as const };
  const target = async (ctx: Ctx, u: Who, where: Where) =>
    // The whole-database admin has no outside: a missing id stands in for it.
    where === 'missing' || (where === 'outside' && u.role === 'admin') ? 99_999_999 : freshApplicant(ctx, where === 'inside' ? u.inside.branch : u.outside.branch);
  return [
    { method: 'GET', path: '/api/recruitment/steps', access: read, call: (_ctx, c) => c.get('/api/recruitment/steps'), check: (_ctx, a) => assert.equal(a.body.steps.length, 28) },
    {
      method: 'PUT',
      path: '/api/recruitment/rule-set',
      access: 'settings.manage',
      call: (_ctx, c) => c.put('/api/recruitment/rule-set', { id: '2014' }),
    },
    {
      method: 'GET',
      path: '/api/recruitment/{id}/timeline',
      access: read,
      outside: 'record',
      call: async (ctx, c, u, where) => c.get(`/api/recruitment/${await target(ctx, u, where)}/timeline`),
      check: (_ctx, a) => assert.equal(a.body.stage, 'applicant'),
    },
    {
      method: 'POST',
      path: '/api/recruitment/{id}/steps/check',
      access: read,
      outside: 'record',
      call: async (ctx, c, u, where) => c.post(`/api/recruitment/${await target(ctx, u, where)}/steps/check`, { code: 'talk', date: '2026-01-10' }),
      check: (_ctx, a) => assert.equal(a.body.ok, true),
    },
    {
      method: 'POST',
      path: '/api/recruitment/{id}/steps',
      access: write,
      outside: 'record',
      call: async (ctx, c, u, where) => c.post(`/api/recruitment/${await target(ctx, u, where)}/steps`, { code: 'talk', date: '2026-01-10' }),
      check: (_ctx, a) => assert.equal(a.body.timeline.steps.some((s: { code: string }) => s.code === 'talk'), true),
    },
    {
      method: 'GET',
      path: '/api/recruitment/board',
      access: read,
      outside: 'area',
      call: (_ctx, c, u, where) => c.get(`/api/recruitment/board?area=${where === 'inside' ? u.inside.area : u.outside.area}`),
    },
    {
      method: 'GET',
      path: '/api/recruitment/reminders',
      access: read,
      outside: 'area',
      call: (_ctx, c, u, where) => c.get(`/api/recruitment/reminders?asOf=2026-01-20&area=${where === 'inside' ? u.inside.area : u.outside.area}`),
    },
  ];
}

// ------------------------------------------------------------ the member register

/** An organization a new 党支部 may hang from, in the user's scope (their `org` is a 党支部 for sq01/grid). */
function branchParent(u: Who): string {
  return u.inside.org.endsWith('-ZB') ? 'DH-S01-DW' : u.inside.org;
}

/** A fresh 党支部 made by the admin under `parent` in `area`. */
async function freshBranch(ctx: Ctx, parent: string, area: string): Promise<string> {
  const code = fresh();
  await ok(ctx.admin.post('/api/orgs', { code, name: '矩阵测试党支部', kind: '党支部', parentCode: parent, areaCode: area }), `set-up branch ${code}`);
  return code;
}

let memberSeq = 0;
/** A fresh full member (valid, unique 公民身份号码) of the 党支部 `branch`, made by the admin. */
async function freshMember(ctx: Ctx, branch: string): Promise<number> {
  const body17 = `11010519800101${String(100 + ++memberSeq * 2 + 1).slice(-3)}`;
  const body = await ok(
    ctx.admin.post('/api/ledgers/members/records', { 姓名: '矩阵党员', 性别: '男', 公民身份号码: body17 + idCheckChar(body17), 所在党组织编码: branch, 人员类别: '正式党员', 入党日期: '2010-07-01', 转正日期: '2011-07-01' }),
    'set-up member',
  );
  return body.id;
}

function memberSpecs(): RouteSpec[] {
  const read = { ledger: 'members', mode: 'read' as const };
  const write = { ledger: 'members', mode: 'write' as const };
  const target = async (ctx: Ctx, u: Who, where: Where) =>
    where === 'missing' || (where === 'outside' && u.role === 'admin') ? 99_999_999 : freshMember(ctx, where === 'inside' ? u.inside.branch : u.outside.branch);
  return [
    { method: 'GET', path: '/api/members/{id}/transfers', access: read, outside: 'record', call: async (ctx, c, u, where) => c.get(`/api/members/${await target(ctx, u, where)}/transfers`) },
    {
      method: 'POST',
      path: '/api/members/{id}/transfers',
      access: write,
      outside: 'record',
      call: async (ctx, c, u, where) => c.post(`/api/members/${await target(ctx, u, where)}/transfers`, { kind: 'out', date: '2026-02-01', outsideUnit: '外单位' }),
      check: (_ctx, a) => assert.equal(a.body.items[0].kind, 'out'),
    },
    {
      method: 'GET',
      path: '/api/orgs/{code}/roster',
      access: read,
      outside: 'record',
      call: (_ctx, c, u, where) => c.get(`/api/orgs/${where === 'inside' ? u.inside.branch : u.outside.branch}/roster?date=2026-01-01`),
    },
    {
      method: 'GET',
      path: '/api/members/structure',
      access: read,
      outside: 'area',
      call: (_ctx, c, u, where) => c.get(`/api/members/structure?asOf=2026-01-01&area=${where === 'inside' ? u.inside.area : u.outside.area}`),
    },
    {
      method: 'GET',
      path: '/api/orgs/{code}/committees',
      access: 'tree.read',
      outside: 'record',
      call: (_ctx, c, u, where) => c.get(`/api/orgs/${where === 'inside' ? u.inside.branch : u.outside.branch}/committees`),
    },
    {
      method: 'POST',
      path: '/api/orgs/{code}/committees',
      access: 'tree.write',
      outside: 'record',
      call: async (ctx, c, u, where) => {
        const g = where === 'inside' ? await freshBranch(ctx, branchParent(u), u.inside.branchArea) : where === 'outside' && u.role !== 'admin' ? u.outside.branch : 'NX-MISSING';
        return c.post(`/api/orgs/${g}/committees`, { establishedOn: '2026-01-05', members: 5 });
      },
    },
    {
      method: 'POST',
      path: '/api/orgs/{code}/committees/end',
      access: 'tree.write',
      outside: 'record',
      call: async (ctx, c, u, where) => {
        let g = where === 'outside' && u.role !== 'admin' ? u.outside.branch : 'NX-MISSING';
        if (where === 'inside') {
          g = await freshBranch(ctx, branchParent(u), u.inside.branchArea);
          await ok(ctx.admin.post(`/api/orgs/${g}/committees`, { establishedOn: '2026-01-05', members: 5 }), 'set-up committee');
        }
        return c.post(`/api/orgs/${g}/committees/end`, { endedOn: '2026-02-05' });
      },
    },
    {
      method: 'POST',
      path: '/api/ledgers/{key}/records/{id}/reveal',
      access: 'pii.reveal',
      outside: 'record',
      call: async (ctx, c, u, where) => c.post(`/api/ledgers/members/records/${await target(ctx, u, where)}/reveal`, { field: 'idNumber' }),
      check: (_ctx, a) => assert.match(a.body.value, /^110105/),
    },
  ];
}

// ------------------------------------------------------------ 组织生活 compliance

/** A fresh meeting of the 党支部 `branch`, made by the admin. */
async function freshMeeting(ctx: Ctx, branch: string): Promise<number> {
  const body = await ok(ctx.admin.post('/api/ledgers/meetings/records', { 日期: '2026-02-10', 党组织编码: branch, 会议类型: '主题党日', 主题: '矩阵测试' }), 'set-up meeting');
  return body.id;
}

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);

async function freshAttachment(ctx: Ctx, meeting: number): Promise<number> {
  const fd = new FormData();
  fd.append('file', new Blob([PNG]), 'a.png');
  const r = await ctx.admin.request('POST', `/api/meetings/${meeting}/attachments`, fd);
  assert.equal(r.status, 200, describeAnswer(r));
  return r.body.id;
}

/** A record of the closed year 2019 inside or outside the user's scope (a missing one for the admin's outside). */
function closedRecord(ctx: Ctx, u: Who, where: Where): { id: number; version: number } {
  if (where === 'inside') return ctx.records.get(`closed:${u.inside.grid}`)!;
  return ctx.records.get(`closed:${u.outside.leaf}`) ?? { id: 99_999_999, version: 1 };
}

let reportYear = 2030;
/** A report of a fresh year finalized by the admin for `area` (so each call has its own). */
async function freshFinalized(ctx: Ctx, area: string): Promise<number> {
  const year = ++reportYear;
  await ok(ctx.admin.post('/api/reports/annual/finalize', { area, year }), `set-up finalize ${area} ${year}`);
  return year;
}

function reportSpecs(): RouteSpec[] {
  const areaOf = (u: Who, where: Where) => (where === 'inside' ? u.inside.area : where === 'outside' && u.role !== 'admin' ? u.outside.area : 'NX-AREA');
  return [
    {
      method: 'POST',
      path: '/api/reports/annual/finalize',
      access: 'reports.finalize',
      outside: 'area',
      call: (_ctx, c, u, where) => c.post('/api/reports/annual/finalize', { area: areaOf(u, where), year: ++reportYear }),
    },
    {
      method: 'GET',
      path: '/api/reports/annual/finalized',
      access: 'reports.read',
      outside: 'area',
      call: async (ctx, c, u, where) => {
        const area = areaOf(u, where);
        const year = area === 'NX-AREA' ? 2099 : await freshFinalized(ctx, area);
        return c.get(`/api/reports/annual/finalized?area=${area}&year=${year}`);
      },
    },
    {
      method: 'GET',
      path: '/api/reports/annual/diff',
      access: 'reports.read',
      outside: 'area',
      call: async (ctx, c, u, where) => {
        const area = areaOf(u, where);
        const year = area === 'NX-AREA' ? 2099 : await freshFinalized(ctx, area);
        return c.get(`/api/reports/annual/diff?area=${area}&year=${year}`);
      },
      check: (_ctx, a) => assert.deepEqual(a.body.changed, []),
    },
    {
      method: 'GET',
      path: '/api/corrections',
      access: 'reports.read',
      outside: 'area',
      call: (_ctx, c, u, where) => c.get(`/api/corrections?area=${areaOf(u, where)}`),
    },
    {
      method: 'POST',
      path: '/api/corrections',
      access: { ledger: 'corrections', mode: 'write' },
      outside: 'record',
      call: async (ctx, c, u, where) => {
        const rec = closedRecord(ctx, u, where);
        return c.post('/api/corrections', { ledger: 'inspections', recordId: rec.id, changes: { 对象名称: '更正后' }, reason: '矩阵测试更正' });
      },
    },
    {
      method: 'POST',
      path: '/api/corrections/{id}/decision',
      access: 'reports.finalize',
      outside: 'record',
      call: async (ctx, c, u, where) => {
        // Requested by the DH clerk (or the admin for records outside DH), so the decider is someone else.
        const rec = closedRecord(ctx, u, where);
        let id = 99_999_999;
        if (where === 'inside' || (where === 'outside' && u.role !== 'admin')) {
          const requester = rec.id && where === 'outside' && u.outside === DH_OUTSIDE ? ctx.admin : ctx.clerk;
          const body = await ok(requester.post('/api/corrections', { ledger: 'inspections', recordId: rec.id, changes: { 对象名称: '更正' }, reason: '矩阵测试更正' }), 'set-up correction');
          id = body.id;
        }
        return c.post(`/api/corrections/${id}/decision`, { approve: false });
      },
    },
  ];
}

/** A fresh yearly target of the admin's for `area`. */
async function freshTarget(ctx: Ctx, area: string): Promise<number> {
  const body = await ok(ctx.admin.post('/api/targets', { areaCode: area, year: 2026, title: '矩阵测试目标', ledger: 'inspections', measure: 'count', comparison: '>=', threshold: 1, period: 'year' }), 'set-up target');
  return body.id;
}

function targetSpecs(): RouteSpec[] {
  const targetArea = (u: Who, where: Where) => (where === 'inside' ? u.inside.area : u.outside.area);
  const target = async (ctx: Ctx, u: Who, where: Where) =>
    where === 'missing' || (where === 'outside' && u.role === 'admin') ? 99_999_999 : freshTarget(ctx, targetArea(u, where));
  const body = (area: string) => ({ areaCode: area, year: 2026, title: '矩阵测试目标', ledger: 'inspections', measure: 'count', comparison: '>=', threshold: 1, period: 'year' });
  return [
    { method: 'GET', path: '/api/targets', access: 'reports.read', outside: 'area', call: (_ctx, c, u, where) => c.get(`/api/targets?year=2026&asOf=2026-06-30&area=${targetArea(u, where)}`) },
    { method: 'POST', path: '/api/targets', access: 'targets.write', outside: 'ref', call: (_ctx, c, u, where) => c.post('/api/targets', body(where === 'inside' ? u.inside.area : where === 'outside' ? u.outside.area : 'NX-MISSING')) },
    {
      method: 'POST',
      path: '/api/targets/{id}/split',
      access: 'targets.write',
      outside: 'record',
      call: async (ctx, c, u, where) => {
        // A target of the user's inside area split into its grid (a node under it).
        const id = await target(ctx, u, where);
        return c.post(`/api/targets/${id}/split`, { parts: [{ areaCode: where === 'inside' ? u.inside.grid : 'MX-G-S03', threshold: 1 }] });
      },
    },
    { method: 'DELETE', path: '/api/targets/{id}', access: 'targets.write', outside: 'record', call: async (ctx, c, u, where) => c.request('DELETE', `/api/targets/${await target(ctx, u, where)}`) },
  ];
}

function complianceSpecs(): RouteSpec[] {
  const read = { ledger: 'meetings', mode: 'read' as const };
  const write = { ledger: 'meetings', mode: 'write' as const };
  const target = async (ctx: Ctx, u: Who, where: Where) =>
    where === 'missing' || (where === 'outside' && u.role === 'admin') ? 99_999_999 : freshMeeting(ctx, where === 'inside' ? u.inside.branch : u.outside.branch);
  const withAttachment = async (ctx: Ctx, u: Who, where: Where) => {
    const m = await target(ctx, u, where);
    return { m, a: m === 99_999_999 ? 1 : await freshAttachment(ctx, m) };
  };
  return [
    { method: 'GET', path: '/api/meetings/{id}/record', access: read, outside: 'record', call: async (ctx, c, u, where) => c.get(`/api/meetings/${await target(ctx, u, where)}/record`) },
    {
      method: 'PUT',
      path: '/api/meetings/{id}/record',
      access: write,
      outside: 'record',
      call: async (ctx, c, u, where) => c.put(`/api/meetings/${await target(ctx, u, where)}/record`, { host: '主持人', agenda: [{ title: '第一议题', firstAgendaItem: true }] }),
      check: (_ctx, a) => assert.equal(a.body.details.host, '主持人'),
    },
    {
      method: 'POST',
      path: '/api/meetings/{id}/attachments',
      access: write,
      outside: 'record',
      call: async (ctx, c, u, where) => {
        const fd = new FormData();
        fd.append('file', new Blob([PNG]), 'a.png');
        return c.request('POST', `/api/meetings/${await target(ctx, u, where)}/attachments`, fd);
      },
    },
    {
      method: 'GET',
      path: '/api/meetings/{id}/attachments/{attachmentId}',
      access: read,
      outside: 'record',
      call: async (ctx, c, u, where) => {
        const { m, a } = await withAttachment(ctx, u, where);
        return c.get(`/api/meetings/${m}/attachments/${a}`);
      },
    },
    {
      method: 'DELETE',
      path: '/api/meetings/{id}/attachments/{attachmentId}',
      access: write,
      outside: 'record',
      call: async (ctx, c, u, where) => {
        const { m, a } = await withAttachment(ctx, u, where);
        return c.request('DELETE', `/api/meetings/${m}/attachments/${a}`);
      },
    },
    {
      method: 'GET',
      path: '/api/meetings/due',
      access: read,
      outside: 'area',
      call: (_ctx, c, u, where) => c.get(`/api/meetings/due?asOf=2026-06-20&area=${where === 'inside' ? u.inside.area : u.outside.area}`),
    },
    {
      method: 'GET',
      path: '/api/compliance',
      access: read,
      outside: 'area',
      call: (_ctx, c, u, where) => c.get(`/api/compliance?year=2026&asOf=2026-06-30&area=${where === 'inside' ? u.inside.area : u.outside.area}`),
      check: (_ctx, a) => assert.ok(Array.isArray(a.body.rows) && Array.isArray(a.body.findings)),
    },
    { method: 'GET', path: '/api/compliance/rules', access: read, call: (_ctx, c) => c.get('/api/compliance/rules') },
    {
      method: 'GET',
      path: '/api/reports/annual/template',
      access: 'reports.read',
      outside: 'area',
      call: (_ctx, c, u, where) => c.get(`/api/reports/annual/template?year=2026&area=${where === 'inside' ? u.inside.area : u.outside.area}`),
    },
    {
      method: 'PUT',
      path: '/api/reports/annual/template',
      access: 'targets.write',
      outside: 'area',
      call: async (ctx, c, u, where) => {
        const t = (await ctx.admin.get('/api/reports/annual/template?year=2026')).body.template;
        return c.put('/api/reports/annual/template', { year: 2026, area: where === 'inside' ? u.inside.area : u.outside.area, template: t });
      },
    },
    {
      method: 'GET',
      path: '/api/dashboard',
      access: 'reports.read',
      outside: 'area',
      call: (_ctx, c, u, where) => c.get(`/api/dashboard?year=2026&area=${where === 'inside' ? u.inside.area : u.outside.area}`),
      check: (_ctx, a) => assert.ok(a.body.figures.length >= 8),
    },
    {
      method: 'GET',
      path: '/api/reports/annual',
      access: 'reports.read',
      outside: 'area',
      call: (_ctx, c, u, where) => c.get(`/api/reports/annual?year=2026&area=${where === 'inside' ? u.inside.area : u.outside.area}`),
      check: (_ctx, a) => assert.ok(a.body.sections.length >= 4),
    },
    { method: 'PUT', path: '/api/compliance/rules', access: 'settings.manage', call: (_ctx, c) => c.put('/api/compliance/rules', {}) },
  ];
}

const ROUTES: RouteSpec[] = [
  {
    method: 'GET',
    path: '/api/health',
    access: 'public',
    call: (_ctx, c) => c.get('/api/health'),
    check: (_ctx, a) => assert.equal(a.body.status, 'ok'),
  },
  {
    method: 'POST',
    path: '/api/auth/login',
    access: 'public',
    anonymousOnly: true,
    call: (_ctx, c) => c.post('/api/auth/login', { username: 'leader', password: PASSWORD }),
    check: async (ctx, a) => {
      assert.equal(a.body.user.username, 'leader');
      const wrong = await new Client(ctx.base).post('/api/auth/login', { username: 'leader', password: 'Wrong@2026jc' });
      assert.equal(wrong.status, 401);
      assert.equal(wrong.body.error.code, 'INVALID_CREDENTIALS');
    },
  },
  {
    method: 'GET',
    path: '/api/auth/me',
    access: 'signedIn',
    call: (_ctx, c) => c.get('/api/auth/me'),
    check: (_ctx, a, u) => {
      assert.equal(a.body.user.username, u.name);
      assert.equal(a.body.user.role, u.role);
    },
  },
  {
    method: 'POST',
    path: '/api/tokens',
    access: 'tokens.create',
    call: (_ctx, c) => c.post('/api/tokens', { name: '矩阵测试' }),
    check: (_ctx, a) => assert.equal(typeof a.body.token, 'string'),
  },

  // ------------------------------------------------------------ areas
  {
    method: 'GET',
    path: '/api/areas',
    access: 'tree.read',
    outside: 'area',
    call: (_ctx, c, u, where) => c.get(`/api/areas?area=${where === 'inside' ? u.inside.area : u.outside.area}`),
    check: async (_ctx, a, u, _where, c) => {
      const codes = (a.body.items as Array<{ code: string }>).map((x) => x.code);
      assert.ok(codes.includes(u.inside.area), `${u.inside.area} is listed`);
      // Without area=: the user's own subtree, nothing outside it.
      const all = await c.get('/api/areas');
      assert.equal(all.status, 200);
      const items = all.body.items as Array<{ code: string; path: string }>;
      const listed = new Set(items.map((x) => x.code));
      assert.ok(listed.has(u.inside.area));
      for (const h of u.outside.hidden) assert.ok(!listed.has(h), `${u.name} must not see ${h}`);
      if (u.role !== 'admin') {
        // One subtree: every area lies under the shortest path listed (the user's own area).
        const root = items.find((x) => x.path.length === Math.min(...items.map((i) => i.path.length)))!;
        for (const x of items) assert.ok(x.path.startsWith(root.path), `${x.code} lies under ${root.code}`);
      } else {
        assert.ok(listed.has('XH') && listed.has('DH'), 'the whole database');
      }
    },
  },
  {
    method: 'GET',
    path: '/api/areas/{code}',
    access: 'tree.read',
    outside: 'record',
    call: (_ctx, c, u, where) => c.get(`/api/areas/${where === 'inside' ? u.inside.area : u.outside.area}`),
    check: (_ctx, a, u) => assert.equal(a.body.code, u.inside.area),
  },
  {
    method: 'POST',
    path: '/api/areas',
    access: 'tree.write',
    outside: 'ref',
    call: (_ctx, c, u, where) => {
      const parentCode = where === 'inside' ? u.inside.parent : where === 'outside' ? u.outside.area : 'NX-MISSING';
      return c.post('/api/areas', { code: fresh(), name: '矩阵新网格', kind: '网格', parentCode });
    },
    check: (_ctx, a, u) => {
      assert.equal(a.body.parentCode, u.inside.parent);
      assert.equal(a.body.kind, '网格');
    },
  },
  {
    method: 'PATCH',
    path: '/api/areas/{code}',
    access: 'tree.write',
    outside: 'record',
    call: async (ctx, c, u, where) => {
      if (where === 'inside') {
        const t = await freshGrid(ctx, u.inside.parent);
        return c.patch(`/api/areas/${t.code}`, { name: '矩阵改名', version: t.version });
      }
      return c.patch(`/api/areas/${u.outside.leaf}`, { name: '越权改名', version: await areaVersion(ctx, u.outside.leaf) });
    },
    check: (_ctx, a) => {
      assert.equal(a.body.name, '矩阵改名');
      assert.equal(a.body.version, 2);
    },
  },
  {
    method: 'POST',
    path: '/api/areas/{code}/move',
    access: 'tree.write',
    outside: 'record',
    call: async (ctx, c, u, where) => {
      if (where === 'inside') {
        const t = await freshGrid(ctx, u.inside.parent);
        return c.post(`/api/areas/${t.code}/move`, { parentCode: u.inside.altParent, version: t.version });
      }
      return c.post(`/api/areas/${u.outside.leaf}/move`, { parentCode: u.inside.parent, version: await areaVersion(ctx, u.outside.leaf) });
    },
    check: async (ctx, a, u) => {
      assert.equal(a.body.parentCode, u.inside.altParent);
      const parent = await ok(ctx.admin.get(`/api/areas/${u.inside.altParent}`), 'parent');
      assert.equal(a.body.path, `${parent.path}${a.body.id}/`);
    },
  },
  {
    method: 'POST',
    path: '/api/areas/{code}/retire',
    access: 'tree.write',
    outside: 'record',
    call: async (ctx, c, u, where) => {
      if (where === 'inside') {
        const t = await freshGrid(ctx, u.inside.parent);
        return c.post(`/api/areas/${t.code}/retire`, { date: '2026-01-31', version: t.version });
      }
      return c.post(`/api/areas/${u.outside.leaf}/retire`, { date: '2026-01-31', version: await areaVersion(ctx, u.outside.leaf) });
    },
    check: (_ctx, a) => assert.equal(a.body.retiredOn, '2026-01-31'),
  },

  // ------------------------------------------------------------ organizations
  {
    method: 'GET',
    path: '/api/orgs',
    access: 'tree.read',
    outside: 'area',
    call: (_ctx, c, u, where) => c.get(`/api/orgs?area=${where === 'inside' ? u.inside.area : u.outside.area}`),
    check: async (_ctx, a, u, _where, c) => {
      const codes = (a.body.items as Array<{ code: string }>).map((x) => x.code);
      assert.ok(codes.includes(u.inside.org), `${u.inside.org} is listed`);
      const all = await c.get('/api/orgs');
      assert.equal(all.status, 200);
      const listed = new Set((all.body.items as Array<{ code: string }>).map((x) => x.code));
      assert.ok(!listed.has(u.outside.org), `${u.name} must not see ${u.outside.org}`);
      assert.ok(!listed.has(u.outside.orgLeaf), `${u.name} must not see ${u.outside.orgLeaf}`);
    },
  },
  {
    method: 'GET',
    path: '/api/orgs/{code}',
    access: 'tree.read',
    outside: 'record',
    call: (_ctx, c, u, where) => c.get(`/api/orgs/${where === 'inside' ? u.inside.org : u.outside.org}`),
    check: (_ctx, a, u) => assert.equal(a.body.code, u.inside.org),
  },
  {
    method: 'POST',
    path: '/api/orgs',
    access: 'tree.write',
    outside: 'ref',
    call: (_ctx, c, u, where) => {
      const [parentCode, areaCode] =
        where === 'inside' ? [u.inside.branch, u.inside.branchArea] : where === 'outside' ? [u.outside.branch, u.outside.branchArea] : ['NX-MISSING', 'NX-MISSING2'];
      return c.post('/api/orgs', { code: fresh(), name: '矩阵新党小组', kind: '党小组', parentCode, areaCode });
    },
    check: (_ctx, a, u) => {
      assert.equal(a.body.parentCode, u.inside.branch);
      assert.equal(a.body.areaCode, u.inside.branchArea);
    },
  },
  {
    method: 'PATCH',
    path: '/api/orgs/{code}',
    access: 'tree.write',
    outside: 'record',
    call: async (ctx, c, u, where) => {
      if (where === 'inside') {
        const t = await freshGroup(ctx, u.inside.branch, u.inside.branchArea);
        return c.patch(`/api/orgs/${t.code}`, { name: '矩阵改名党小组', version: t.version });
      }
      return c.patch(`/api/orgs/${u.outside.orgLeaf}`, { name: '越权改名', version: await orgVersion(ctx, u.outside.orgLeaf) });
    },
    check: (_ctx, a) => {
      assert.equal(a.body.name, '矩阵改名党小组');
      assert.equal(a.body.version, 2);
    },
  },
  {
    method: 'POST',
    path: '/api/orgs/{code}/move',
    access: 'tree.write',
    outside: 'record',
    call: async (ctx, c, u, where) => {
      if (where === 'inside') {
        const t = await freshGroup(ctx, u.inside.branch, u.inside.branchArea);
        return c.post(`/api/orgs/${t.code}/move`, { parentCode: u.inside.altBranch, version: t.version });
      }
      return c.post(`/api/orgs/${u.outside.orgLeaf}/move`, { parentCode: u.inside.branch, version: await orgVersion(ctx, u.outside.orgLeaf) });
    },
    check: async (ctx, a, u) => {
      assert.equal(a.body.parentCode, u.inside.altBranch);
      const parent = await ok(ctx.admin.get(`/api/orgs/${u.inside.altBranch}`), 'parent');
      assert.equal(a.body.path, `${parent.path}${a.body.id}/`);
    },
  },
  {
    method: 'POST',
    path: '/api/orgs/{code}/retire',
    access: 'tree.write',
    outside: 'record',
    call: async (ctx, c, u, where) => {
      if (where === 'inside') {
        const t = await freshGroup(ctx, u.inside.branch, u.inside.branchArea);
        return c.post(`/api/orgs/${t.code}/retire`, { date: '2026-01-31', version: t.version });
      }
      return c.post(`/api/orgs/${u.outside.orgLeaf}/retire`, { date: '2026-01-31', version: await orgVersion(ctx, u.outside.orgLeaf) });
    },
    check: (_ctx, a) => assert.equal(a.body.dissolvedOn, '2026-01-31'),
  },

  // ------------------------------------------------------------ users, settings, audit
  {
    method: 'GET',
    path: '/api/users',
    access: 'users.read',
    outside: 'area',
    call: (_ctx, c, u, where) => c.get(`/api/users?area=${where === 'inside' ? u.inside.area : u.outside.area}`),
    check: async (_ctx, _a, u, _where, c) => {
      const all = await c.get('/api/users');
      assert.equal(all.status, 200);
      const names = new Set((all.body.items as Array<{ username: string }>).map((x) => x.username));
      assert.ok(names.has(u.name), 'the user sees themself');
      if (u.role !== 'admin') {
        assert.ok(!names.has('admin'), 'a whole-database admin lies outside an area scope');
        assert.ok(!names.has(u.outside.user), `${u.outside.user} lies outside`);
      }
    },
  },
  {
    method: 'POST',
    path: '/api/users',
    access: 'users.manage',
    outside: 'ref',
    call: (_ctx, c, u, where) => {
      const areaCode = where === 'inside' ? u.inside.area : where === 'outside' ? u.outside.area : 'NX-MISSING';
      return c.post('/api/users', { username: fresh('mxu'), displayName: '矩阵用户', role: 'viewer', areaCode });
    },
    check: (_ctx, a, u) => {
      assert.equal(a.body.user.areaCode, u.inside.area);
      assert.equal(a.body.user.role, 'viewer');
      assert.equal(typeof a.body.password, 'string');
    },
  },
  {
    method: 'PATCH',
    path: '/api/users/{id}',
    access: 'users.read',
    outside: 'record',
    call: async (ctx, c, u, where) => {
      // 安全管理员 grants (role, area); 系统管理员 and admin manage the account (display name).
      const change = u.role === 'secadmin' ? { role: 'clerk' } : { displayName: '矩阵改名' };
      if (where === 'inside') {
        const made = await ok(ctx.admin.post('/api/users', { username: fresh('mxu'), role: 'viewer', areaCode: u.inside.area }), 'set-up user');
        return c.patch(`/api/users/${made.user.id}`, { ...change, version: made.user.version });
      }
      const id = ctx.userIds.get(u.outside.user) ?? 999_999;
      return c.patch(`/api/users/${id}`, { ...change, version: await userVersion(ctx, id) });
    },
    check: (_ctx, a, u) => {
      if (u.role === 'secadmin') assert.equal(a.body.user.role, 'clerk');
      else assert.equal(a.body.user.displayName, '矩阵改名');
    },
  },
  {
    method: 'POST',
    path: '/api/users/{id}/totp/reset',
    access: 'users.grant',
    outside: 'record',
    call: async (ctx, c, u, where) => {
      if (where === 'inside') {
        const made = await ok(ctx.admin.post('/api/users', { username: fresh('mxt'), role: 'viewer', areaCode: u.inside.area }), 'set-up user');
        return c.post(`/api/users/${made.user.id}/totp/reset`);
      }
      return c.post(`/api/users/${ctx.userIds.get(u.outside.user) ?? 999_999}/totp/reset`);
    },
    check: (_ctx, a) => assert.equal(a.body.user.twoFactor, false),
  },
  {
    method: 'GET',
    path: '/api/settings/security',
    access: 'settings.manage',
    call: (_ctx, c) => c.get('/api/settings/security'),
    check: (_ctx, a) => assert.equal(a.body.lockoutThreshold, 5),
  },
  {
    method: 'PUT',
    path: '/api/settings/security',
    access: 'settings.manage',
    call: (_ctx, c) =>
      c.put('/api/settings/security', {
        passwordMinLength: 8,
        passwordMinClasses: 3,
        passwordMaxAgeDays: 90,
        lockoutThreshold: 5,
        lockoutMinutes: 15,
        idleTimeoutMinutes: 30,
        loginRatePerMinute: 30,
      }),
    check: (_ctx, a) => assert.equal(a.body.passwordMinLength, 8),
  },
  {
    method: 'GET',
    path: '/api/audit',
    access: 'audit.read',
    outside: 'list',
    call: (_ctx, c, u, where) => c.get(`/api/audit?entity=area&entityId=${where === 'inside' ? u.inside.area : u.outside.area}`),
    check: (_ctx, a, _u, where) => {
      if (where === 'inside') assert.ok(a.body.total >= 1, 'the creation of an area inside is in the log');
      else assert.equal(a.body.total, 0, 'entries about areas outside the scope are not shown');
    },
  },

  {
    method: 'GET',
    path: '/api/export-log',
    access: 'audit.read',
    outside: 'list',
    call: async (ctx, c, u, where) => {
      // An export of an area inside (or outside) the user's scope, then the log as the user sees it.
      const area = where === 'inside' ? u.inside.area : u.outside.area;
      await ctx.admin.get(`/api/ledgers/inspections/export?format=csv&area=${area}`);
      return c.get('/api/export-log?ledger=inspections&pageSize=200');
    },
    check: (_ctx, a, u, where) => {
      const areas = (a.body.items as Array<{ filters: { area?: string } }>).map((x) => x.filters.area);
      if (where === 'inside') assert.ok(areas.includes(u.inside.area), 'the export inside is in the log');
      else if (u.role !== 'admin') assert.ok(!areas.includes(u.outside.area), 'exports outside the scope are not shown');
    },
  },
  {
    method: 'GET',
    path: '/api/users/{id}/export-grant',
    access: 'exports.grant',
    outside: 'record',
    call: async (ctx, c, u, where) => {
      if (where === 'inside') {
        const made = await ok(ctx.admin.post('/api/users', { username: fresh('mxe'), role: 'clerk', areaCode: u.inside.area }), 'set-up user');
        return c.get(`/api/users/${made.user.id}/export-grant`);
      }
      return c.get(`/api/users/${ctx.userIds.get(u.outside.user) ?? 999_999}/export-grant`);
    },
    check: (_ctx, a) => assert.equal(a.body.mayExportUnmasked, false),
  },
  {
    method: 'PUT',
    path: '/api/users/{id}/export-grant',
    access: 'exports.grant',
    outside: 'record',
    call: async (ctx, c, u, where) => {
      if (where === 'inside') {
        const made = await ok(ctx.admin.post('/api/users', { username: fresh('mxe'), role: 'clerk', areaCode: u.inside.area }), 'set-up user');
        return c.put(`/api/users/${made.user.id}/export-grant`, { mayExportUnmasked: true });
      }
      return c.put(`/api/users/${ctx.userIds.get(u.outside.user) ?? 999_999}/export-grant`, { mayExportUnmasked: true });
    },
    check: (_ctx, a) => assert.equal(a.body.mayExportUnmasked, true),
  },

  // ------------------------------------------------------------ imports
  {
    method: 'GET',
    path: '/api/imports/{key}/template',
    access: 'tree.read',
    call: (_ctx, c) => c.get('/api/imports/areas/template'),
    check: (_ctx, a) => assert.match(a.headers.get('content-type') ?? '', /spreadsheetml/),
  },
  {
    method: 'POST',
    path: '/api/imports/{key}',
    access: 'tree.write',
    outside: 'area',
    call: (_ctx, c, u, where) => {
      const file = csvFile(`编码,名称,类型,上级编码,网格类型\n${fresh()},矩阵导入网格,网格,${u.inside.parent},城镇社区网格\n`);
      return c.request('POST', `/api/imports/areas?area=${where === 'inside' ? u.inside.area : u.outside.area}`, file);
    },
    check: (_ctx, a) => {
      assert.equal(a.body.ok, true);
      assert.equal(a.body.inserted, 1);
    },
  },

  {
    method: 'GET',
    path: '/api/imports/progress/{id}',
    access: 'signedIn',
    call: (ctx, c) => c.get(`/api/imports/progress/${ctx.progressId}`),
    check: (_ctx, a) => assert.equal(a.body.done, true),
  },
  {
    method: 'GET',
    path: '/api/ledgers',
    access: 'signedIn',
    call: (_ctx, c) => c.get('/api/ledgers'),
    check: (_ctx, a) => assert.ok((a.body.items as Array<{ key: string }>).some((l) => l.key === 'inspections')),
  },
  ...ledgerSpecs('inspections'),
  ...ledgerSpecs('incidents'),
  ...recruitmentSpecs(),
  ...memberSpecs(),
  ...complianceSpecs(),
  ...reportSpecs(),
  ...targetSpecs(),

  {
    method: 'GET',
    path: '/api/auth/totp',
    access: 'signedIn',
    call: (_ctx, c) => c.get('/api/auth/totp'),
    check: (_ctx, a) => assert.equal(a.body.enrolled, false),
  },

  // ------------------------------------------------------------ last: they change the session
  // Two-factor enrolment of every user (the demo's policy requires it of nobody; they enrol anyway).
  {
    method: 'POST',
    path: '/api/auth/totp/enroll',
    access: 'signedIn',
    call: (_ctx, c) => c.post('/api/auth/totp/enroll'),
    check: (_ctx, a) => assert.match(a.body.otpauthUrl, /^otpauth:\/\/totp\//),
  },
  {
    method: 'POST',
    path: '/api/auth/totp/confirm',
    access: 'signedIn',
    call: async (ctx, c, u) => {
      const started = await c.post('/api/auth/totp/enroll');
      if (started.status !== 200) return started;
      ctx.totpSecrets.set(u.name, started.body.secret);
      return c.post('/api/auth/totp/confirm', { code: totpCode(started.body.secret) });
    },
    check: async (_ctx, a, _u, _w, c) => {
      assert.equal(a.body.recoveryCodes.length, 10);
      assert.equal((await c.get('/api/auth/totp')).body.enrolled, true);
    },
  },
  {
    method: 'POST',
    path: '/api/auth/totp/recovery-codes',
    access: 'signedIn',
    call: async (ctx, c, u) => {
      // The user's secret, as their authenticator holds it since the enrolment above.
      const secret = ctx.totpSecrets.get(u.name);
      return c.post('/api/auth/totp/recovery-codes', { code: secret ? nextTotpCode(secret) : '000000' });
    },
    check: (_ctx, a) => assert.equal(a.body.recoveryCodes.length, 10),
  },
  {
    method: 'POST',
    path: '/api/auth/password',
    access: 'signedIn',
    call: (_ctx, c) => c.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'Matrix#2027ok' }),
    check: async (_ctx, _a, _u, _w, c) => {
      assert.equal((await c.get('/api/auth/me')).status, 200, 'the current session survives a password change');
    },
  },
  {
    method: 'POST',
    path: '/api/auth/logout',
    access: 'signedIn',
    call: (_ctx, c) => c.post('/api/auth/logout'),
    check: async (ctx, _a, _u, _w, c) => {
      const cookie = c.cookie;
      const me = await c.get('/api/auth/me');
      assert.equal(me.status, 401);
      if (cookie) {
        const again = await new Client(ctx.base).request('GET', '/api/auth/me', undefined, { cookie });
        assert.equal(again.status, 401);
      }
    },
  },
];

function expectation(spec: RouteSpec, u: Who, where: 'inside' | 'outside'): { status: number; code?: string } | 'ref' {
  if (spec.access === 'public' || spec.access === 'signedIn') return { status: 200 };
  const allowed = typeof spec.access === 'object' ? mayLedger(u.role, spec.access.ledger, spec.access.mode) : MAY[spec.access].includes(u.role);
  if (!allowed) return { status: 403, code: 'FORBIDDEN' };
  if (where === 'inside' || spec.outside === undefined || spec.outside === 'list') return { status: 200 };
  if (spec.outside === 'record') return { status: 404, code: 'NOT_FOUND' };
  if (spec.outside === 'area') return u.role === 'admin' ? { status: 404, code: 'NOT_FOUND' } : { status: 403, code: 'AREA_FORBIDDEN' };
  return 'ref';
}

function assertFailure(a: Answer, status: number, code: string) {
  assert.equal(a.status, status, describeAnswer(a));
  assert.equal(a.body?.error?.code, code, describeAnswer(a));
}

function describeAnswer(a: Answer): string {
  return `${a.status} ${typeof a.body === 'string' ? a.body.slice(0, 200) : JSON.stringify(a.body).slice(0, 300)}`;
}

for (const dialect of dialects()) {
  describe(`access matrix on ${dialect}`, () => {
    let store: Store;
    let server: Running;
    const clients = new Map<string, Client>();
    const ctx = {} as Ctx;

    before(async () => {
      store = await freshStore(dialect);
      await loadDemo(store, { ifEmpty: false, log: () => {}, ledgers: false });
      server = await startServer(store);
      ctx.base = server.base;
      ctx.userIds = new Map();
      ctx.totpSecrets = new Map();
      for (const u of WHO) {
        const c = new Client(server.base);
        const r = await c.login(u.name, PASSWORD);
        assert.equal(r.status, 200, `${u.name} signs in: ${describeAnswer(r)}`);
        clients.set(u.name, c);
      }
      ctx.admin = clients.get('admin')!;
      reportYear = 2030;
      ctx.clerk = clients.get('clerk')!;
      // A second street, outside every DH-scoped user, and records outside 东湖社区 (DH-S01).
      const a = ctx.admin;
      await ok(a.post('/api/areas', { code: 'XH', name: '西湖街道', kind: '街道' }), 'XH');
      await ok(a.post('/api/areas', { code: 'XH-S01', name: '西湖社区', kind: '社区', parentCode: 'XH' }), 'XH-S01');
      await ok(a.post('/api/areas', { code: 'XH-S01-MXW', name: '西湖社区网格', kind: '网格', parentCode: 'XH-S01' }), 'XH-S01-MXW');
      await ok(a.post('/api/orgs', { code: 'XH-DGW', name: '中共西湖街道工作委员会', kind: '党工委', areaCode: 'XH' }), 'XH-DGW');
      await ok(a.post('/api/orgs', { code: 'XH-S01-DW', name: '中共西湖社区委员会', kind: '党委', parentCode: 'XH-DGW', areaCode: 'XH-S01' }), 'XH-S01-DW');
      await ok(a.post('/api/orgs', { code: 'XH-S01-DW-ZB1', name: '西湖社区第一党支部', kind: '党支部', parentCode: 'XH-S01-DW', areaCode: 'XH-S01' }), 'XH-S01-DW-ZB1');
      await ok(a.post('/api/orgs', { code: 'XH-S01-MXG', name: '西湖社区党小组', kind: '党小组', parentCode: 'XH-S01-DW-ZB1', areaCode: 'XH-S01' }), 'XH-S01-MXG');
      await ok(a.post('/api/areas', { code: 'DH-S02-MXW', name: '明珠社区测试网格', kind: '网格', parentCode: 'DH-S02' }), 'DH-S02-MXW');
      await ok(a.post('/api/orgs', { code: 'DH-S02-MXG', name: '明珠社区测试党小组', kind: '党小组', parentCode: 'DH-S02-DW-ZB1', areaCode: 'DH-S02' }), 'DH-S02-MXG');
      const xh = await ok(a.post('/api/users', { username: 'xhuser', role: 'viewer', areaCode: 'XH-S01' }), 'xhuser');
      const out = await ok(a.post('/api/users', { username: 'mxout', role: 'viewer', areaCode: 'DH-S02' }), 'mxout');
      ctx.userIds.set('xhuser', xh.user.id);
      ctx.userIds.set('mxout', out.user.id);
      // Grids for ledger records, and records inside and outside every scope.
      await ok(a.post('/api/areas', { code: 'MX-G-S03', name: '光明社区矩阵网格', kind: '网格', parentCode: 'DH-S03' }), 'MX-G-S03');
      await ok(a.post('/api/areas', { code: 'MX-G-X01', name: '东湖小区矩阵网格', kind: '网格', parentCode: 'DH-S01-X01' }), 'MX-G-X01');
      ctx.records = new Map();
      for (const ledger of ['inspections', 'incidents']) {
        for (const grid of ['MX-G-S03', 'MX-G-X01', 'XH-S01-MXW', 'DH-S02-MXW']) {
          ctx.records.set(`${ledger}:${grid}`, await freshRecord(ctx, ledger, grid));
        }
        for (const grid of ['XH-S01-MXW', 'DH-S02-MXW']) {
          const r = await freshRecord(ctx, ledger, grid);
          await ok(a.request('DELETE', `/api/ledgers/${ledger}/records/${r.id}`, { version: r.version }), 'set-up delete');
          ctx.records.set(`deleted:${ledger}:${grid}`, { id: r.id, version: r.version + 1 });
        }
      }
      // Records of a finalized (closed) year, for corrections.
      for (const grid of ['MX-G-S03', 'MX-G-X01', 'XH-S01-MXW', 'DH-S02-MXW']) {
        const body = await ok(a.post('/api/ledgers/inspections/records', { ...recordBody('inspections', grid), date: '2019-05-06' }), `closed record ${grid}`);
        ctx.records.set(`closed:${grid}`, { id: body.id, version: body.version });
      }
      await ok(a.post('/api/reports/annual/finalize', { area: 'DH', year: 2019 }), 'close 2019 in DH');
      await ok(a.post('/api/reports/annual/finalize', { area: 'XH', year: 2019 }), 'close 2019 in XH');
      ctx.progressId = `mx-progress-${dialect}-${Date.now()}`;
      const fd = csvFile(`编码,名称,类型,上级编码\n${fresh()},进度测试网格,网格,DH-S03\n`);
      const imported = await a.request('POST', `/api/imports/areas?progressId=${ctx.progressId}`, fd);
      assert.equal(imported.status, 200, describeAnswer(imported));
    });

    after(async () => {
      await server?.close();
      await store?.close();
    });

    test('the table covers every route /api/openapi.json documents, and no more', async () => {
      const r = await new Client(server.base).get('/api/openapi.json');
      assert.equal(r.status, 200);
      const documented = new Set<string>();
      for (const [path, ops] of Object.entries<Record<string, unknown>>(r.body.paths)) {
        for (const m of Object.keys(ops)) {
          if (['get', 'post', 'put', 'patch', 'delete'].includes(m)) documented.add(`${m.toUpperCase()} ${path}`);
        }
      }
      const tabled = new Set(ROUTES.map((s) => `${s.method} ${s.path}`));
      assert.deepEqual([...documented].filter((x) => !tabled.has(x)).sort(), [], 'routes the matrix does not test yet');
      assert.deepEqual([...tabled].filter((x) => !documented.has(x)).sort(), [], 'routes in the matrix the server does not document');
    });

    describe('a code outside the scope, named in a body or a file, answers like a missing one', () => {
      // Writers only: the whole-database admin has no outside, so the DH clerk and sq01.
      const writers = WHO.filter((w) => w.name === 'clerk' || w.name === 'sq01');
      for (const u of writers) {
        test(`${u.name}: move an area / an organization under an outside parent`, async () => {
          const c = clients.get(u.name)!;
          const t1 = await freshGrid(ctx, u.inside.parent);
          const outside = await c.post(`/api/areas/${t1.code}/move`, { parentCode: u.outside.area, version: t1.version });
          const missing = await c.post(`/api/areas/${t1.code}/move`, { parentCode: 'NX-MISSING', version: t1.version });
          assert.ok(outside.status >= 400 && outside.status < 500, describeAnswer(outside));
          assert.equal(outside.status, missing.status, `${describeAnswer(outside)} vs ${describeAnswer(missing)}`);
          assert.equal(outside.body.error.code, missing.body.error.code);
          assert.equal((await ctx.admin.get(`/api/areas/${t1.code}`)).body.parentCode, u.inside.parent, 'not moved');

          const t2 = await freshGroup(ctx, u.inside.branch, u.inside.branchArea);
          const o2 = await c.post(`/api/orgs/${t2.code}/move`, { parentCode: u.outside.branch, version: t2.version });
          const m2 = await c.post(`/api/orgs/${t2.code}/move`, { parentCode: 'NX-MISSING', version: t2.version });
          assert.ok(o2.status >= 400 && o2.status < 500, describeAnswer(o2));
          assert.equal(o2.status, m2.status, `${describeAnswer(o2)} vs ${describeAnswer(m2)}`);
          assert.equal(o2.body.error.code, m2.body.error.code);
          assert.equal((await ctx.admin.get(`/api/orgs/${t2.code}`)).body.parentCode, u.inside.branch, 'not moved');
        });

        test(`${u.name}: an organization edited to sit in an outside area`, async () => {
          const c = clients.get(u.name)!;
          const t = await freshGroup(ctx, u.inside.branch, u.inside.branchArea);
          const o = await c.patch(`/api/orgs/${t.code}`, { areaCode: u.outside.area, version: t.version });
          const m = await c.patch(`/api/orgs/${t.code}`, { areaCode: 'NX-MISSING', version: t.version });
          assert.ok(o.status >= 400 && o.status < 500, describeAnswer(o));
          assert.equal(o.status, m.status, `${describeAnswer(o)} vs ${describeAnswer(m)}`);
          assert.equal(o.body.error.code, m.body.error.code);
          assert.equal((await ctx.admin.get(`/api/orgs/${t.code}`)).body.areaCode, u.inside.branchArea, 'unchanged');
        });

        test(`${u.name}: an import row whose parent lies outside`, async () => {
          const c = clients.get(u.name)!;
          const before = (await ctx.admin.get('/api/areas')).body.items.length;
          const rows = (parent: string) => csvFile(`编码,名称,类型,上级编码\n${fresh()},越权网格,网格,${parent}\n`);
          const o = await c.request('POST', '/api/imports/areas', rows(u.outside.area));
          const m = await c.request('POST', '/api/imports/areas', rows('NX-MISSING'));
          assert.equal(o.status, 400, describeAnswer(o));
          assert.equal(o.body.ok, false);
          assert.deepEqual(o.body.errors.map((e: { row: number; column: string }) => [e.row, e.column]), [[2, '上级编码']]);
          assert.deepEqual(m.body.errors.map((e: { row: number; column: string }) => [e.row, e.column]), [[2, '上级编码']]);
          assert.equal(o.body.errors[0].message.replace(u.outside.area, 'X'), m.body.errors[0].message.replace('NX-MISSING', 'X'), 'the same words for both');
          assert.equal((await ctx.admin.get('/api/areas')).body.items.length, before, 'nothing written');
        });
      }

      test('secadmin: granting an area outside the scope', async () => {
        const c = clients.get('secadmin')!;
        const made = await ok(ctx.admin.post('/api/users', { username: fresh('mxu'), role: 'viewer', areaCode: 'DH-S05' }), 'set-up user');
        const o = await c.patch(`/api/users/${made.user.id}`, { areaCode: 'XH-S01', version: made.user.version });
        const m = await c.patch(`/api/users/${made.user.id}`, { areaCode: 'NX-MISSING', version: made.user.version });
        assert.ok(o.status >= 400 && o.status < 500, describeAnswer(o));
        assert.equal(o.status, m.status, `${describeAnswer(o)} vs ${describeAnswer(m)}`);
        assert.equal(o.body.error.code, m.body.error.code);
      });

      test('sq01 cannot add a top-level area (it would lie outside the scope)', async () => {
        const c = clients.get('sq01')!;
        const code = fresh();
        const r = await c.post('/api/areas', { code, name: '越权街道', kind: '街道' });
        assert.equal(r.status, 403, describeAnswer(r));
        assert.equal(r.body.error.code, 'AREA_FORBIDDEN');
        assert.equal((await ctx.admin.get(`/api/areas/${code}`)).status, 404);
      });
    });

    describe('三员分立: who may change which part of an account', () => {
      async function freshUser(areaCode = 'DH-S05', role = 'viewer') {
        const made = await ok(ctx.admin.post('/api/users', { username: fresh('mxg'), role, areaCode }), 'set-up user');
        return made as { user: { id: number; version: number; username: string }; password: string };
      }

      test('the system administrator manages accounts but grants no roles', async () => {
        const sys = clients.get('sysadmin')!;
        const u = await freshUser();
        assertFailure(await sys.patch(`/api/users/${u.user.id}`, { role: 'leader', version: u.user.version }), 403, 'FORBIDDEN');
        assertFailure(await sys.patch(`/api/users/${u.user.id}`, { areaCode: 'DH-S06', version: u.user.version }), 403, 'FORBIDDEN');
        for (const role of ['admin', 'clerk', 'secadmin', 'auditor']) {
          assertFailure(await sys.post('/api/users', { username: fresh('mxg'), role, areaCode: 'DH-S05' }), 403, 'FORBIDDEN');
        }
        const reset = await sys.patch(`/api/users/${u.user.id}`, { resetPassword: true, version: u.user.version });
        assert.equal(reset.status, 200, describeAnswer(reset));
        assert.equal(typeof reset.body.password, 'string');
        assert.equal(reset.body.user.role, 'viewer');
      });

      test('the security administrator grants roles and areas but does not manage accounts', async () => {
        const sec = clients.get('secadmin')!;
        const u = await freshUser();
        assertFailure(await sec.patch(`/api/users/${u.user.id}`, { disabled: true, version: u.user.version }), 403, 'FORBIDDEN');
        assertFailure(await sec.patch(`/api/users/${u.user.id}`, { resetPassword: true, version: u.user.version }), 403, 'FORBIDDEN');
        assertFailure(await sec.patch(`/api/users/${u.user.id}`, { role: 'admin', version: u.user.version }), 403, 'FORBIDDEN');
        assertFailure(await sec.post('/api/users', { username: fresh('mxg'), role: 'viewer', areaCode: 'DH-S05' }), 403, 'FORBIDDEN');
        const me = (await sec.get('/api/auth/me')).body.user as { id: number; version: number };
        assertFailure(await sec.patch(`/api/users/${me.id}`, { role: 'leader', version: me.version }), 403, 'FORBIDDEN');
        assertFailure(await sec.patch(`/api/users/${me.id}`, { areaCode: 'DH-S05', version: me.version }), 403, 'FORBIDDEN');
        const adminId = (await ctx.admin.get('/api/auth/me')).body.user.id as number;
        assertFailure(await sec.patch(`/api/users/${adminId}`, { role: 'viewer', version: 1 }), 404, 'NOT_FOUND');
        const granted = await sec.patch(`/api/users/${u.user.id}`, { role: 'leader', areaCode: 'DH-S06', version: u.user.version });
        assert.equal(granted.status, 200, describeAnswer(granted));
        assert.equal(granted.body.user.role, 'leader');
        assert.equal(granted.body.user.areaCode, 'DH-S06');
      });

      test('a changed grant, a disabled account and a reset password end the user\'s sessions', async () => {
        const sec = clients.get('secadmin')!;
        const sys = clients.get('sysadmin')!;
        const pw = 'Grant#Change2026';
        for (const [who, change] of [
          [sec, { role: 'leader' }],
          [sys, { disabled: true }],
          [sys, { resetPassword: true }],
        ] as const) {
          const u = await freshUser();
          // Give the account a password of its own, then a session.
          const c = new Client(server.base);
          assert.equal((await c.login(u.user.username, u.password)).status, 200);
          assert.equal((await c.post('/api/auth/password', { currentPassword: u.password, newPassword: pw })).status, 200);
          assert.equal((await c.get('/api/areas')).status, 200);
          const version = (await ctx.admin.get('/api/users')).body.items.find((x: { id: number }) => x.id === u.user.id).version as number;
          const r = await who.patch(`/api/users/${u.user.id}`, { ...change, version });
          assert.equal(r.status, 200, describeAnswer(r));
          assert.equal((await c.get('/api/auth/me')).status, 401, `${JSON.stringify(change)} ends the session`);
          const again = await new Client(server.base).login(u.user.username, pw);
          if ('disabled' in change) assertFailure(again, 403, 'ACCOUNT_DISABLED');
          if ('resetPassword' in change) assertFailure(again, 401, 'INVALID_CREDENTIALS');
        }
      });
    });

    for (const spec of ROUTES) {
      const label = `${spec.method} ${spec.path}${spec.note ? ` [${spec.note}]` : ''}`;

      test(`${label} — without sign-in`, async () => {
        const anon = new Client(server.base);
        const a = await spec.call(ctx, anon, WHO.find((w) => w.name === 'clerk')!, 'inside');
        if (spec.access === 'public') {
          assert.equal(a.status, 200, describeAnswer(a));
          await spec.check?.(ctx, a, WHO[0]!, 'inside', anon);
        } else {
          assert.equal(a.status, 401, describeAnswer(a));
          assert.equal(a.body.error.code, 'UNAUTHENTICATED');
        }
      });

      if (spec.anonymousOnly) continue;

      for (const u of WHO) {
        test(`${label} — ${u.name} (${u.role})`, async () => {
          const c = clients.get(u.name)!;
          const wheres: Array<'inside' | 'outside'> = spec.outside ? ['inside', 'outside'] : ['inside'];
          for (const where of wheres) {
            const want = expectation(spec, u, where);
            const a = await spec.call(ctx, c, u, where);
            if (want === 'ref') {
              // Refused, and exactly as if the code did not exist.
              const missing = await spec.call(ctx, c, u, 'missing');
              assert.ok(a.status >= 400 && a.status < 500, `${where}: refused, got ${describeAnswer(a)}`);
              assert.ok(a.status !== 401 && !(a.status === 403 && a.body?.error?.code === 'FORBIDDEN'), `${where}: ${describeAnswer(a)}`);
              assert.equal(a.status, missing.status, `outside ${describeAnswer(a)} vs missing ${describeAnswer(missing)}`);
              assert.equal(a.body?.error?.code, missing.body?.error?.code);
              continue;
            }
            assert.equal(a.status, want.status, `${where}: expected ${want.status} ${want.code ?? ''}, got ${describeAnswer(a)}`);
            if (want.code) assert.equal(a.body?.error?.code, want.code, `${where}: ${describeAnswer(a)}`);
            if (want.status === 200) await spec.check?.(ctx, a, u, where, c);
          }
        });
      }
    }

  });
}
