/**
 * The area (区域) and organization (党组织) trees through HTTP: nesting rules, codes unique across
 * both trees, no cycles, subtree moves that keep every materialized path right, optimistic
 * versions, retiring, the audit of every change — and importing both trees from real .xlsx and
 * .csv files (UTF-8 with and without BOM, GB18030), atomically, with row errors as a spreadsheet
 * numbers its rows (CONTRACTS §2, §3 `areas`/`orgs`, §4).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import ExcelJS from '../../src/io/excel.ts';
import iconv from 'iconv-lite';
import { loadDemo } from '../../src/demo/demo.ts';
import type { Store } from '../../src/store/db.ts';
import { dialects, freshStore } from '../helpers/db.ts';
import { Client, startServer, type Answer, type Running } from '../helpers/http.ts';

const PASSWORD = 'Demo@2026jc';
const HAN = /[\u4e00-\u9fff]/;

interface Node {
  id: number;
  code: string;
  name: string;
  kind: string;
  parentCode: string | null;
  path: string;
  depth: number;
  version: number;
  retiredOn?: string | null;
  dissolvedOn?: string | null;
  foundedOn?: string | null;
  areaCode?: string;
  gridType?: string | null;
  category?: string | null;
}

function show(a: Answer): string {
  return `${a.status} ${typeof a.body === 'string' ? a.body.slice(0, 200) : JSON.stringify(a.body)}`;
}

function assertError(a: Answer, status: number, code: string) {
  assert.equal(a.status, status, show(a));
  assert.equal(a.body?.error?.code, code, show(a));
  assert.match(a.body.error.message, HAN, `a Chinese message: ${a.body.error.message}`);
}

async function ok<T = any>(p: Promise<Answer<T>>, what = 'request'): Promise<T> {
  const r = await p;
  assert.equal(r.status, 200, `${what}: ${show(r)}`);
  return r.body;
}

/** Every node's path is its parent's path + its id + '/', and a root's is '/id/'. */
function assertPaths(items: Node[], what: string) {
  const byCode = new Map(items.map((i) => [i.code, i]));
  for (const i of items) {
    if (i.parentCode === null) {
      assert.equal(i.path, `/${i.id}/`, `${what}: root ${i.code}`);
      assert.equal(i.depth, 0, `${what}: depth of root ${i.code}`);
    } else {
      const p = byCode.get(i.parentCode);
      assert.ok(p, `${what}: parent ${i.parentCode} of ${i.code} is listed`);
      assert.equal(i.path, `${p.path}${i.id}/`, `${what}: path of ${i.code}`);
      assert.equal(i.depth, p.depth + 1, `${what}: depth of ${i.code}`);
    }
  }
}

/** Codes of the subtree under `code` (itself included), by following parentCode. */
function subtree(items: Node[], code: string): Set<string> {
  const out = new Set([code]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const i of items) {
      if (i.parentCode && out.has(i.parentCode) && !out.has(i.code)) {
        out.add(i.code);
        grew = true;
      }
    }
  }
  return out;
}

// ------------------------------------------------------------------ files

type Cell = string | number | Date | null;

async function xlsx(rows: Cell[][], sheet = '区域'): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(sheet);
  rows.forEach((r, i) => {
    // An empty array leaves that spreadsheet row blank.
    if (r.length) ws.getRow(i + 1).values = r;
  });
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

function csvText(rows: Cell[][]): string {
  return rows.map((r) => r.map((v) => (v === null ? '' : String(v))).join(',')).join('\r\n') + '\r\n';
}

const utf8 = (text: string) => new TextEncoder().encode(text);
const utf8Bom = (text: string) => new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(text)]);

/** GB18030 bytes, as Excel and WPS save a CSV on a Chinese Windows. */
function gb18030(text: string): Uint8Array {
  return new Uint8Array(iconv.encode(text, 'gb18030'));
}

function upload(bytes: Uint8Array, name: string): FormData {
  const fd = new FormData();
  fd.append('file', new Blob([new Uint8Array(bytes)]), name);
  return fd;
}

const AREA_HEADERS = ['编码', '名称', '类型', '上级编码', '网格类型'];
const ORG_HEADERS = ['编码', '名称', '类型', '上级编码', '所在区域编码', '类别', '成立日期', '撤销日期'];

function issues(list: Array<{ row: number; column: string }>): string[] {
  return list.map((e) => `${e.row}:${e.column}`).sort();
}

for (const dialect of dialects()) {
  describe(`trees over HTTP on ${dialect}`, () => {
    let store: Store;
    let server: Running;
    let admin: Client;
    let clerk: Client;

    const areas = async (): Promise<Node[]> => (await ok(admin.get('/api/areas'), 'areas')).items;
    const orgs = async (): Promise<Node[]> => (await ok(admin.get('/api/orgs'), 'orgs')).items;
    const area = async (code: string): Promise<Node> => ok(admin.get(`/api/areas/${code}`), `area ${code}`);
    const org = async (code: string): Promise<Node> => ok(admin.get(`/api/orgs/${code}`), `org ${code}`);
    const auditOf = async (entity: string, id: string) =>
      (await ok(admin.get(`/api/audit?entity=${entity}&entityId=${encodeURIComponent(id)}&pageSize=200`), 'audit')).items as Array<{
        action: string;
        before: any;
        after: any;
        username: string | null;
      }>;
    const importFile = (ledger: 'areas' | 'orgs', bytes: Uint8Array, name: string, query = '') =>
      admin.request('POST', `/api/imports/${ledger}${query}`, upload(bytes, name));

    before(async () => {
      store = await freshStore(dialect);
      await loadDemo(store, { ifEmpty: false, log: () => {}, ledgers: false });
      server = await startServer(store);
      admin = new Client(server.base);
      clerk = new Client(server.base);
      assert.equal((await admin.login('admin', PASSWORD)).status, 200);
      assert.equal((await clerk.login('clerk', PASSWORD)).status, 200);
    });

    after(async () => {
      await server?.close();
      await store?.close();
    });

    test('the demo trees have consistent paths', async () => {
      const a = await areas();
      assert.ok(a.length > 100);
      assertPaths(a, 'areas');
      assertPaths(await orgs(), 'orgs');
    });

    // ------------------------------------------------------------ nesting

    test('areas nest 街道 > 村/社区 > 小区 > 网格; other nestings are refused in Chinese', async () => {
      const dh = await area('DH');
      const s = await ok(admin.post('/api/areas', { code: 'T-S1', name: '测试社区', kind: '社区', parentCode: 'DH' }));
      assert.equal(s.kind, '社区');
      assert.equal(s.parentCode, 'DH');
      assert.equal(s.path, `${dh.path}${s.id}/`);
      assert.equal(s.version, 1);
      const x = await ok(admin.post('/api/areas', { code: 'T-S1-X1', name: '测试小区', kind: '小区', parentCode: 'T-S1' }));
      const g = await ok(admin.post('/api/areas', { code: 'T-S1-W1', name: '测试网格', kind: '网格', parentCode: 'T-S1-X1', gridType: '小区网格' }));
      assert.equal(g.path, `${x.path}${g.id}/`);
      assert.equal(g.gridType, '小区网格');

      assertError(await clerk.post('/api/areas', { code: 'T-BAD1', name: '街道下的小区', kind: '小区', parentCode: 'DH' }), 400, 'VALIDATION_FAILED');
      assertError(await admin.post('/api/areas', { code: 'T-BAD2', name: '街道下的小区', kind: '小区', parentCode: 'DH' }), 400, 'VALIDATION_FAILED');
      assertError(await admin.post('/api/areas', { code: 'T-BAD3', name: '网格下的社区', kind: '社区', parentCode: 'T-S1-W1' }), 400, 'VALIDATION_FAILED');
      assertError(await admin.post('/api/areas', { code: 'T-BAD4', name: '无上级的村', kind: '村' }), 400, 'VALIDATION_FAILED');
      assertError(await admin.post('/api/areas', { code: 'T-BAD5', name: '网格下的网格', kind: '网格', parentCode: 'T-S1-W1' }), 400, 'VALIDATION_FAILED');
      assertError(await admin.post('/api/areas', { code: 'T-BAD6', name: '带网格类型的小区', kind: '小区', parentCode: 'T-S1', gridType: '小区网格' }), 400, 'VALIDATION_FAILED');
      for (const code of ['T-BAD1', 'T-BAD2', 'T-BAD3', 'T-BAD4', 'T-BAD5', 'T-BAD6']) assert.equal((await admin.get(`/api/areas/${code}`)).status, 404, `${code} not created`);
    });

    test('organizations nest by the 支部工作条例: 党小组 only under a 党支部', async () => {
      const zb = await ok(admin.post('/api/orgs', { code: 'T-ZB1', name: '测试党支部', kind: '党支部', parentCode: 'DH-S01-DW', areaCode: 'DH-S01', category: '社区' }));
      assert.equal(zb.parentCode, 'DH-S01-DW');
      assert.equal(zb.areaCode, 'DH-S01');
      assert.equal(zb.path, `${(await org('DH-S01-DW')).path}${zb.id}/`);
      await ok(admin.post('/api/orgs', { code: 'T-XZ1', name: '测试党小组', kind: '党小组', parentCode: 'T-ZB1', areaCode: 'DH-S01' }));

      assertError(await clerk.post('/api/orgs', { code: 'T-OBAD1', name: '党委下的党小组', kind: '党小组', parentCode: 'DH-S01-DW', areaCode: 'DH-S01' }), 400, 'VALIDATION_FAILED');
      assertError(await admin.post('/api/orgs', { code: 'T-OBAD2', name: '党小组下的党支部', kind: '党支部', parentCode: 'T-XZ1', areaCode: 'DH-S01' }), 400, 'VALIDATION_FAILED');
      assertError(await admin.post('/api/orgs', { code: 'T-OBAD3', name: '无上级的党总支', kind: '党总支', areaCode: 'DH-S01' }), 400, 'VALIDATION_FAILED');
      assertError(await admin.post('/api/orgs', { code: 'T-OBAD4', name: '党工委下的党小组', kind: '党小组', parentCode: 'DH-DGW', areaCode: 'DH' }), 400, 'VALIDATION_FAILED');
      for (const code of ['T-OBAD1', 'T-OBAD2', 'T-OBAD3', 'T-OBAD4']) assert.equal((await admin.get(`/api/orgs/${code}`)).status, 404, `${code} not created`);
    });

    test('codes are unique across areas and organizations together: 409 DUPLICATE', async () => {
      assertError(await admin.post('/api/orgs', { code: 'DH-S02', name: '与区域同码', kind: '党支部', parentCode: 'DH-S02-DW', areaCode: 'DH-S02' }), 409, 'DUPLICATE');
      assertError(await admin.post('/api/areas', { code: 'DH-DGW', name: '与党组织同码', kind: '社区', parentCode: 'DH' }), 409, 'DUPLICATE');
      assertError(await admin.post('/api/areas', { code: 'DH-S02', name: '重复区域', kind: '社区', parentCode: 'DH' }), 409, 'DUPLICATE');
      assertError(await admin.post('/api/orgs', { code: 'DH-S02-DW', name: '重复党组织', kind: '党支部', parentCode: 'DH-DGW', areaCode: 'DH-S02' }), 409, 'DUPLICATE');
      // Renaming a code into one the other tree uses is a duplicate too.
      const g = await ok(admin.post('/api/areas', { code: 'T-REN1', name: '改码网格', kind: '网格', parentCode: 'DH-S02' }));
      assertError(await admin.patch('/api/areas/T-REN1', { code: 'DH-S02-DW', version: g.version }), 409, 'DUPLICATE');
      const o = await ok(admin.post('/api/orgs', { code: 'T-REN2', name: '改码党小组', kind: '党小组', parentCode: 'DH-S02-DW-ZB1', areaCode: 'DH-S02' }));
      assertError(await admin.patch('/api/orgs/T-REN2', { code: 'T-REN1', version: o.version }), 409, 'DUPLICATE');
      // A code given up by a rename is free again — in either tree.
      const renamed = await ok(admin.patch('/api/areas/T-REN1', { code: 'T-REN1B', version: g.version }));
      assert.equal(renamed.code, 'T-REN1B');
      assert.equal((await admin.get('/api/areas/T-REN1')).status, 404);
      await ok(admin.post('/api/orgs', { code: 'T-REN1', name: '用旧码的党小组', kind: '党小组', parentCode: 'DH-S02-DW-ZB1', areaCode: 'DH-S02' }));
    });

    // ------------------------------------------------------------ edits, versions, cycles

    test('edits carry the version they read: a stale one gets 409 CONFLICT', async () => {
      const a = await ok(admin.post('/api/areas', { code: 'T-V1', name: '版本网格', kind: '网格', parentCode: 'DH-S03' }));
      const a2 = await ok(admin.patch('/api/areas/T-V1', { name: '版本网格（改）', version: a.version }));
      assert.equal(a2.name, '版本网格（改）');
      assert.equal(a2.version, a.version + 1);
      assertError(await admin.patch('/api/areas/T-V1', { name: '过期修改', version: a.version }), 409, 'CONFLICT');
      assertError(await clerk.patch('/api/areas/T-V1', { name: '过期修改', version: a.version }), 409, 'CONFLICT');
      assertError(await admin.post('/api/areas/T-V1/move', { parentCode: 'DH-S04', version: a.version }), 409, 'CONFLICT');
      assertError(await admin.post('/api/areas/T-V1/retire', { date: '2026-01-31', version: a.version }), 409, 'CONFLICT');
      const now = await area('T-V1');
      assert.equal(now.name, '版本网格（改）');
      assert.equal(now.parentCode, 'DH-S03');
      assert.equal(now.retiredOn, null);

      const o = await ok(admin.post('/api/orgs', { code: 'T-VO1', name: '版本党小组', kind: '党小组', parentCode: 'DH-S03-DW-ZB1', areaCode: 'DH-S03' }));
      await ok(admin.patch('/api/orgs/T-VO1', { name: '版本党小组（改）', version: o.version }));
      assertError(await admin.patch('/api/orgs/T-VO1', { name: '过期修改', version: o.version }), 409, 'CONFLICT');
      assertError(await admin.post('/api/orgs/T-VO1/move', { parentCode: 'DH-S04-DW-ZB1', version: o.version }), 409, 'CONFLICT');
      assertError(await admin.post('/api/orgs/T-VO1/retire', { date: '2026-01-31', version: o.version }), 409, 'CONFLICT');
      assert.equal((await org('T-VO1')).name, '版本党小组（改）');
    });

    test('no cycles: a node cannot move under itself or its own descendant', async () => {
      const a = await ok(admin.post('/api/orgs', { code: 'T-CA', name: '环测试党委甲', kind: '党委', parentCode: 'DH-DGW', areaCode: 'DH-S05' }));
      const b = await ok(admin.post('/api/orgs', { code: 'T-CB', name: '环测试党委乙', kind: '党委', parentCode: 'T-CA', areaCode: 'DH-S05' }));
      await ok(admin.post('/api/orgs', { code: 'T-CC', name: '环测试党委丙', kind: '党委', parentCode: 'T-CB', areaCode: 'DH-S05' }));
      assertError(await admin.post('/api/orgs/T-CA/move', { parentCode: 'T-CC', version: a.version }), 400, 'VALIDATION_FAILED');
      assertError(await admin.post('/api/orgs/T-CA/move', { parentCode: 'T-CB', version: a.version }), 400, 'VALIDATION_FAILED');
      assertError(await admin.post('/api/orgs/T-CA/move', { parentCode: 'T-CA', version: a.version }), 400, 'VALIDATION_FAILED');
      assert.equal((await org('T-CA')).parentCode, 'DH-DGW');
      assert.equal((await org('T-CB')).path, b.path);
      assertPaths(await orgs(), 'orgs after refused moves');

      const s = await area('DH-S06');
      assertError(await admin.post('/api/areas/DH-S06/move', { parentCode: 'DH-S06', version: s.version }), 400, 'VALIDATION_FAILED');
      assertError(await admin.post('/api/areas/DH-S06/move', { parentCode: 'DH-S06-X01', version: s.version }), 400, 'VALIDATION_FAILED');
      assert.equal((await area('DH-S06')).path, s.path);
    });

    test('moving a subtree rewrites every descendant path; scope follows the move', async () => {
      const street = await ok(admin.post('/api/areas', { code: 'T-JD', name: '测试街道', kind: '街道' }));
      assert.equal(street.parentCode, null);
      assert.equal(street.path, `/${street.id}/`);
      const before = await areas();
      const members = subtree(before, 'DH-S05');
      assert.ok(members.size >= 9, `DH-S05 has compounds and grids (${members.size})`);
      const s5 = before.find((a) => a.code === 'DH-S05')!;
      const oldPath = s5.path;
      assert.equal((await clerk.get('/api/areas/DH-S05-X01')).status, 200, 'inside DH before the move');

      const moved = await ok(admin.post('/api/areas/DH-S05/move', { parentCode: 'T-JD', version: s5.version }));
      assert.equal(moved.parentCode, 'T-JD');
      assert.equal(moved.path, `${street.path}${s5.id}/`);
      assert.equal(moved.depth, street.depth + 1);
      assert.equal(moved.version, s5.version + 1);

      const afterMove = await areas();
      assertPaths(afterMove, 'areas after the move');
      assert.deepEqual([...subtree(afterMove, 'DH-S05')].sort(), [...members].sort(), 'the same subtree moved');
      for (const code of members) {
        const n = afterMove.find((a) => a.code === code)!;
        assert.ok(n.path.startsWith(moved.path), `${code} lies under the new path`);
        assert.ok(!n.path.startsWith(oldPath), `${code} left the old path`);
      }
      assert.equal(afterMove.length, before.length);
      assert.equal(afterMove.filter((a) => a.path.startsWith(oldPath)).length, 0, 'nothing is left at the old path');
      // Areas outside the moved subtree keep their paths.
      for (const a of before) if (!members.has(a.code)) assert.equal(afterMove.find((x) => x.code === a.code)!.path, a.path, `${a.code} unchanged`);

      // The DH clerk's scope no longer holds DH-S05, its areas or its organizations.
      assertError(await clerk.get('/api/areas/DH-S05'), 404, 'NOT_FOUND');
      assertError(await clerk.get('/api/areas/DH-S05-X01'), 404, 'NOT_FOUND');
      assertError(await clerk.get('/api/orgs/DH-S05-DW'), 404, 'NOT_FOUND');
      const clerkAreas = (await ok(clerk.get('/api/areas'))).items as Node[];
      assert.ok(!clerkAreas.some((a) => members.has(a.code)));
      const clerkOrgs = (await ok(clerk.get('/api/orgs'))).items as Node[];
      assert.ok(!clerkOrgs.some((o) => o.code === 'DH-S05-DW' || o.code === 'DH-S05-X01-ZB'));
      assert.equal((await org('DH-S05-DW')).areaCode, 'DH-S05', 'organizations keep their area');

      const audit = await auditOf('area', 'DH-S05');
      const mv = audit.find((e) => e.action === 'move');
      assert.ok(mv, 'the move is audited');
      assert.equal(mv.before.parentCode, 'DH');
      assert.equal(mv.after.parentCode, 'T-JD');

      // And back.
      const back = await ok(admin.post('/api/areas/DH-S05/move', { parentCode: 'DH', version: moved.version }));
      assert.equal(back.path, oldPath);
      const afterBack = await areas();
      assertPaths(afterBack, 'areas after moving back');
      for (const a of before) assert.equal(afterBack.find((x) => x.code === a.code)!.path, a.path, `${a.code} back where it was`);
      assert.equal((await clerk.get('/api/areas/DH-S05-X01')).status, 200, 'inside DH again');
    });

    test('moving an organization subtree rewrites every descendant path', async () => {
      const before = await orgs();
      const members = subtree(before, 'DH-S06-DW');
      assert.ok(members.size >= 4, `DH-S06-DW has branches and groups (${members.size})`);
      const node = before.find((o) => o.code === 'DH-S06-DW')!;
      const target = before.find((o) => o.code === 'DH-C01-DW')!;
      const moved = await ok(admin.post('/api/orgs/DH-S06-DW/move', { parentCode: 'DH-C01-DW', version: node.version }));
      assert.equal(moved.parentCode, 'DH-C01-DW');
      assert.equal(moved.path, `${target.path}${node.id}/`);
      const afterMove = await orgs();
      assertPaths(afterMove, 'orgs after the move');
      assert.deepEqual([...subtree(afterMove, 'DH-S06-DW')].sort(), [...members].sort());
      for (const code of members) assert.ok(afterMove.find((o) => o.code === code)!.path.startsWith(moved.path), `${code} moved along`);
      for (const o of before) if (!members.has(o.code)) assert.equal(afterMove.find((x) => x.code === o.code)!.path, o.path, `${o.code} unchanged`);
      const mv = (await auditOf('org', 'DH-S06-DW')).find((e) => e.action === 'move');
      assert.ok(mv);
      assert.equal(mv.before.parentCode, 'DH-DGW');
      assert.equal(mv.after.parentCode, 'DH-C01-DW');
    });

    test('retiring refuses while live children exist; a retired area takes no new children', async () => {
      const busy = await area('DH-S07');
      assertError(await admin.post('/api/areas/DH-S07/retire', { date: '2026-02-01', version: busy.version }), 400, 'VALIDATION_FAILED');
      assert.equal((await area('DH-S07')).retiredOn, null);

      const s = await ok(admin.post('/api/areas', { code: 'T-R', name: '撤销测试社区', kind: '社区', parentCode: 'DH' }));
      const x = await ok(admin.post('/api/areas', { code: 'T-R-X1', name: '撤销测试小区', kind: '小区', parentCode: 'T-R' }));
      const w = await ok(admin.post('/api/areas', { code: 'T-R-W1', name: '撤销测试网格', kind: '网格', parentCode: 'T-R-X1' }));
      assertError(await admin.post('/api/areas/T-R/retire', { date: '2026-02-01', version: s.version }), 400, 'VALIDATION_FAILED');
      assertError(await admin.post('/api/areas/T-R-X1/retire', { date: '2026-02-01', version: x.version }), 400, 'VALIDATION_FAILED');
      const w2 = await ok(admin.post('/api/areas/T-R-W1/retire', { date: '2026-02-01', version: w.version }));
      assert.equal(w2.retiredOn, '2026-02-01');
      assert.equal((await ok(admin.post('/api/areas/T-R-X1/retire', { date: '2026-02-01', version: x.version }))).retiredOn, '2026-02-01');
      const s2 = await ok(admin.post('/api/areas/T-R/retire', { date: '2026-02-01', version: s.version }));
      assert.equal(s2.retiredOn, '2026-02-01');
      assert.equal(s2.version, s.version + 1);
      assertError(await admin.post('/api/areas', { code: 'T-R-X2', name: '撤销后新增', kind: '小区', parentCode: 'T-R' }), 400, 'VALIDATION_FAILED');
      assert.ok((await areas()).some((a) => a.code === 'T-R'), 'a retired area stays for history');

      const p = await ok(admin.post('/api/orgs', { code: 'T-RO', name: '撤销测试党支部', kind: '党支部', parentCode: 'DH-S07-DW', areaCode: 'DH-S07', foundedOn: '2020-07-01' }));
      const g = await ok(admin.post('/api/orgs', { code: 'T-RO-G', name: '撤销测试党小组', kind: '党小组', parentCode: 'T-RO', areaCode: 'DH-S07' }));
      assertError(await admin.post('/api/orgs/T-RO/retire', { date: '2026-02-01', version: p.version }), 400, 'VALIDATION_FAILED');
      assert.equal((await ok(admin.post('/api/orgs/T-RO-G/retire', { date: '2026-02-01', version: g.version }))).dissolvedOn, '2026-02-01');
      assertError(await admin.post('/api/orgs/T-RO/retire', { date: '2019-12-31', version: p.version }), 400, 'VALIDATION_FAILED');
      assert.equal((await ok(admin.post('/api/orgs/T-RO/retire', { date: '2026-02-01', version: p.version }))).dissolvedOn, '2026-02-01');
    });

    test('a retired area takes no new children — by create or by move', async () => {
      // Retiring refuses while live children exist; no other way may put a live child under a retired node.
      const dead = await ok(admin.post('/api/areas', { code: 'T-RM', name: '已撤销社区', kind: '社区', parentCode: 'DH' }));
      await ok(admin.post('/api/areas/T-RM/retire', { date: '2026-02-01', version: dead.version }));
      assertError(await admin.post('/api/areas', { code: 'T-RM-X1', name: '新小区', kind: '小区', parentCode: 'T-RM' }), 400, 'VALIDATION_FAILED');
      const live = await ok(admin.post('/api/areas', { code: 'T-RM-X2', name: '在用小区', kind: '小区', parentCode: 'DH-S03' }));
      assertError(await admin.post('/api/areas/T-RM-X2/move', { parentCode: 'T-RM', version: live.version }), 400, 'VALIDATION_FAILED');
      assert.equal((await area('T-RM-X2')).parentCode, 'DH-S03', 'not moved under a retired area');
    });

    test('a dissolved organization takes no new live children — by create or by move', async () => {
      const gone = await ok(admin.post('/api/orgs', { code: 'T-DO', name: '已撤销党支部', kind: '党支部', parentCode: 'DH-S03-DW', areaCode: 'DH-S03' }));
      await ok(admin.post('/api/orgs/T-DO/retire', { date: '2026-02-01', version: gone.version }));
      const g = await ok(admin.post('/api/orgs', { code: 'T-DO-G2', name: '在用党小组', kind: '党小组', parentCode: 'DH-S03-DW-ZB1', areaCode: 'DH-S03' }));
      const moved = await admin.post('/api/orgs/T-DO-G2/move', { parentCode: 'T-DO', version: g.version });
      const created = await admin.post('/api/orgs', { code: 'T-DO-G1', name: '新党小组', kind: '党小组', parentCode: 'T-DO', areaCode: 'DH-S03' });
      assertError(created, 400, 'VALIDATION_FAILED');
      assertError(moved, 400, 'VALIDATION_FAILED');
      assert.equal((await org('T-DO-G2')).parentCode, 'DH-S03-DW-ZB1', 'not moved under a dissolved organization');
    });

    test('a scoped user sees the root of their scope as a root: its parent outside is not revealed', async () => {
      const sq = new Client(server.base);
      assert.equal((await sq.login('sq01', PASSWORD)).status, 200);
      const s01 = await ok(sq.get('/api/areas/DH-S01'));
      assert.equal(s01.parentCode, null);
      const dw = await ok(sq.get('/api/orgs/DH-S01-DW'));
      assert.equal(dw.parentCode, null, 'DH-DGW lies outside DH-S01');
      const x01 = await ok(sq.get('/api/areas/DH-S01-X01'));
      assert.equal(x01.parentCode, 'DH-S01');
      const listed = (await ok(sq.get('/api/areas'))).items as Node[];
      assert.ok(!JSON.stringify(listed).includes('"DH"'), 'the street is not named anywhere');
    });

    test('every change leaves an audit entry with before and after', async () => {
      const a = await ok(admin.post('/api/areas', { code: 'T-AU', name: '审计网格', kind: '网格', parentCode: 'DH-S08', gridType: '城镇社区网格' }));
      const a2 = await ok(clerk.patch('/api/areas/T-AU', { name: '审计网格（改名）', version: a.version }));
      const a3 = await ok(admin.post('/api/areas/T-AU/move', { parentCode: 'DH-S09', version: a2.version }));
      await ok(admin.post('/api/areas/T-AU/retire', { date: '2026-03-01', version: a3.version }));
      const log = await auditOf('area', 'T-AU');
      const by = (action: string) => {
        const e = log.find((x) => x.action === action);
        assert.ok(e, `a ${action} entry for T-AU: ${JSON.stringify(log.map((x) => x.action))}`);
        return e;
      };
      const created = by('create');
      assert.equal(created.after.name, '审计网格');
      assert.equal(created.after.parentCode, 'DH-S08');
      assert.equal(created.username, 'admin');
      const updated = by('update');
      assert.equal(updated.before.name, '审计网格');
      assert.equal(updated.after.name, '审计网格（改名）');
      assert.equal(updated.username, 'clerk');
      const moved = by('move');
      assert.equal(moved.before.parentCode, 'DH-S08');
      assert.equal(moved.after.parentCode, 'DH-S09');
      const retired = by('retire');
      assert.equal(retired.before.retiredOn, null);
      assert.equal(retired.after.retiredOn, '2026-03-01');

      const o = await ok(admin.post('/api/orgs', { code: 'T-AUO', name: '审计党小组', kind: '党小组', parentCode: 'DH-S08-DW-ZB1', areaCode: 'DH-S08' }));
      const o2 = await ok(admin.patch('/api/orgs/T-AUO', { name: '审计党小组（改名）', version: o.version }));
      const o3 = await ok(admin.post('/api/orgs/T-AUO/move', { parentCode: 'DH-S09-DW-ZB1', version: o2.version }));
      await ok(admin.post('/api/orgs/T-AUO/retire', { date: '2026-03-01', version: o3.version }));
      const olog = await auditOf('org', 'T-AUO');
      const oby = (action: string) => {
        const e = olog.find((x) => x.action === action);
        assert.ok(e, `a ${action} entry for T-AUO: ${JSON.stringify(olog.map((x) => x.action))}`);
        return e;
      };
      assert.equal(oby('create').after.name, '审计党小组');
      assert.equal(oby('update').before.name, '审计党小组');
      assert.equal(oby('update').after.name, '审计党小组（改名）');
      assert.equal(oby('move').before.parentCode, 'DH-S08-DW-ZB1');
      assert.equal(oby('move').after.parentCode, 'DH-S09-DW-ZB1');
      assert.equal(oby('retire').after.dissolvedOn, '2026-03-01');

      // Refused changes leave nothing.
      const n = log.length;
      assertError(await admin.patch('/api/areas/T-AU', { name: '过期', version: a.version }), 409, 'CONFLICT');
      assert.equal((await auditOf('area', 'T-AU')).length, n);
    });

    // ------------------------------------------------------------ imports

    describe('imports', () => {
      const GOOD: Cell[][] = [
        ['编码*', '名称*', '类型*', '上级编码', '网格类型'],
        ['IMP-S1', '导入社区', '社区', 'DH', null],
        ['IMP-S1-X1', '导入小区', '小区', 'IMP-S1', null],
        ['IMP-S1-W1', '导入网格', '网格', 'IMP-S1-X1', '小区网格'],
        ['IMP-S1-W2', '导入社区网格', '网格', 'IMP-S1', '城镇社区网格'],
      ];

      test('a good .xlsx file imports every row', async () => {
        const before = (await areas()).length;
        const r = await importFile('areas', await xlsx(GOOD), 'areas.xlsx');
        assert.equal(r.status, 200, show(r));
        assert.equal(r.body.ok, true);
        assert.equal(r.body.rows, 4);
        assert.equal(r.body.inserted, 4);
        assert.deepEqual(r.body.errors, []);
        const after = await areas();
        assert.equal(after.length, before + 4);
        assertPaths(after, 'areas after import');
        const w = await area('IMP-S1-W1');
        assert.equal(w.name, '导入网格');
        assert.equal(w.kind, '网格');
        assert.equal(w.parentCode, 'IMP-S1-X1');
        assert.equal(w.gridType, '小区网格');
        const log = await ok(admin.get('/api/audit?action=import&entity=areas'));
        assert.ok(log.total >= 1, 'the import is audited');
      });

      test('re-importing the same file changes nothing: every row unchanged', async () => {
        const before = await areas();
        const r = await importFile('areas', await xlsx(GOOD), 'areas.xlsx');
        assert.equal(r.status, 200, show(r));
        assert.equal(r.body.ok, true);
        assert.equal(r.body.inserted, 0);
        assert.equal(r.body.unchanged, 4);
        const after = await areas();
        assert.equal(after.length, before.length, 'no duplicates');
        assert.equal(after.filter((a) => a.code === 'IMP-S1').length, 1);
      });

      test('a file with bad rows names exactly those rows and columns and writes nothing', async () => {
        const before = await areas();
        const file: Cell[][] = [
          AREA_HEADERS, //                                   row 1
          ['IMP-B1', '好的社区', '社区', 'DH', null], //      row 2
          [], //                                              row 3 (blank)
          ['IMP-B2', '类型错误', '居委会', 'DH', null], //    row 4: bad kind
          ['IMP-B3', '上级不存在', '小区', 'NO-SUCH-PARENT', null], // row 5: unknown parent
          ['IMP-B4', '好的小区', '小区', 'IMP-B1', null], //  row 6
          ['IMP-B1', '重复编码', '社区', 'DH', null], //      row 7: duplicate of row 2
        ];
        for (const [bytes, name] of [
          [await xlsx(file), 'bad.xlsx'],
          [utf8Bom(csvText(file)), 'bad.csv'],
        ] as const) {
          const r = await importFile('areas', bytes, name);
          assert.equal(r.status, 400, `${name}: ${show(r)}`);
          assert.equal(r.body.ok, false);
          assert.equal(r.body.inserted, 0);
          assert.deepEqual(issues(r.body.errors), ['4:类型', '5:上级编码', '7:编码'], name);
          for (const e of r.body.errors) {
            assert.equal(typeof e.row, 'number');
            assert.match(e.message, HAN);
          }
          const after = await areas();
          assert.equal(after.length, before.length, `${name}: nothing written`);
          assert.equal((await admin.get('/api/areas/IMP-B1')).status, 404);
          assert.equal((await admin.get('/api/areas/IMP-B4')).status, 404);
        }
      });

      test('a dry run checks but writes nothing', async () => {
        const before = (await areas()).length;
        const file: Cell[][] = [AREA_HEADERS, ['IMP-D1', '试导入社区', '社区', 'DH', null], ['IMP-D1-X1', '试导入小区', '小区', 'IMP-D1', null]];
        const r = await importFile('areas', await xlsx(file), 'dry.xlsx', '?dryRun=true');
        assert.equal(r.status, 200, show(r));
        assert.equal(r.body.ok, true);
        assert.equal(r.body.dryRun, true);
        assert.equal(r.body.rows, 2);
        assert.deepEqual(r.body.errors, []);
        assert.equal((await areas()).length, before);
        assert.equal((await admin.get('/api/areas/IMP-D1')).status, 404);
        const bad = await importFile('areas', await xlsx([AREA_HEADERS, ['IMP-D2', '坏', '居委会', 'DH', null]]), 'dry.xlsx', '?dryRun=true');
        assert.equal(bad.status, 400);
        assert.deepEqual(issues(bad.body.errors), ['2:类型']);
        // The same file for real.
        const real = await importFile('areas', await xlsx(file), 'dry.xlsx');
        assert.equal(real.status, 200);
        assert.equal(real.body.inserted, 2);
        assert.equal((await areas()).length, before + 2);
      });

      test('a missing required column is an error at row 1; an extra column is a warning', async () => {
        const before = (await areas()).length;
        const r = await importFile('areas', await xlsx([['编码', '名称', '上级编码'], ['IMP-M1', '缺列', 'DH']]), 'missing.xlsx');
        assert.equal(r.status, 400, show(r));
        assert.equal(r.body.ok, false);
        assert.ok(r.body.errors.length >= 1);
        assert.deepEqual(issues(r.body.errors), ['1:类型']);
        assert.match(r.body.errors[0].message, HAN);
        assert.equal((await areas()).length, before);

        const extra = await importFile('areas', utf8(csvText([['名称', '类型', '编码', '上级编码', '备注'], ['列序不同的社区', '社区', 'IMP-E1', 'DH', '说明']])), 'extra.csv');
        assert.equal(extra.status, 200, show(extra));
        assert.equal(extra.body.ok, true);
        assert.equal(extra.body.inserted, 1);
        assert.deepEqual(issues(extra.body.warnings), ['1:备注']);
        assert.equal((await area('IMP-E1')).name, '列序不同的社区', 'headers in any order');
      });

      test('.csv in UTF-8 with BOM, UTF-8 without BOM, and GB18030', async () => {
        // The encoder is checked against code points everybody agrees on.
        assert.deepEqual([...gb18030('中东湖')], [0xd6, 0xd0, 0xb6, 0xab, 0xba, 0xfe]);
        const rows = (p: string): Cell[][] => [
          AREA_HEADERS,
          [`${p}-S`, '锦绣花园社区', '社区', 'DH', null],
          [`${p}-X`, '翠苑·东区（二期）', '小区', `${p}-S`, null],
          [`${p}-W`, '翠苑综合网格', '网格', `${p}-X`, '小区网格'],
        ];
        for (const [prefix, encode] of [
          ['CSV-BOM', (t: string) => utf8Bom(t)],
          ['CSV-U8', (t: string) => utf8(t)],
          ['CSV-GB', (t: string) => gb18030(t)],
        ] as const) {
          const bytes = encode(csvText(rows(prefix)));
          const r = await importFile('areas', bytes, `${prefix}.csv`);
          assert.equal(r.status, 200, `${prefix}: ${show(r)}`);
          assert.equal(r.body.inserted, 3, prefix);
          assert.equal((await area(`${prefix}-S`)).name, '锦绣花园社区', prefix);
          assert.equal((await area(`${prefix}-X`)).name, '翠苑·东区（二期）', prefix);
          const w = await area(`${prefix}-W`);
          assert.equal(w.gridType, '小区网格', prefix);
          assert.equal(w.parentCode, `${prefix}-X`, prefix);
        }
      });

      test('organizations import with dates in every accepted form, and refuse bad rows atomically', async () => {
        const before = (await orgs()).length;
        const file: Cell[][] = [
          ['编码*', '名称*', '类型*', '上级编码', '所在区域编码*', '类别', '成立日期', '撤销日期'],
          ['IMPO-DW', '中共导入社区委员会', '党委', 'DH-DGW', 'DH-S10', '社区', '2020-07-01', null],
          ['IMPO-ZB', '导入社区第一党支部', '党支部', 'IMPO-DW', 'DH-S10', '社区', new Date(Date.UTC(2021, 6, 1)), null],
          ['IMPO-XZ', '导入小区党小组', '党小组', 'IMPO-ZB', 'DH-S10-X01', '小区', '2021年8月1日', null],
          ['IMPO-OLD', '已撤销的党支部', '党支部', 'IMPO-DW', 'DH-S10', '社区', '2015/3/1', '2019/12/31'],
        ];
        const r = await importFile('orgs', await xlsx(file, '党组织'), 'orgs.xlsx');
        assert.equal(r.status, 200, show(r));
        assert.equal(r.body.inserted, 4);
        assert.equal((await orgs()).length, before + 4);
        assertPaths(await orgs(), 'orgs after import');
        const zb = await org('IMPO-ZB');
        assert.equal(zb.parentCode, 'IMPO-DW');
        assert.equal(zb.areaCode, 'DH-S10');
        assert.equal(zb.foundedOn, '2021-07-01', 'an Excel date cell');
        assert.equal((await org('IMPO-DW')).foundedOn, '2020-07-01');
        assert.equal((await org('IMPO-XZ')).foundedOn, '2021-08-01');
        const old = await org('IMPO-OLD');
        assert.equal(old.foundedOn, '2015-03-01');
        assert.equal(old.dissolvedOn, '2019-12-31');
        assert.equal(old.category, '社区');

        const again = await importFile('orgs', await xlsx(file, '党组织'), 'orgs.xlsx');
        assert.equal(again.status, 200, show(again));
        assert.equal(again.body.unchanged, 4);
        assert.equal(again.body.inserted, 0);

        const bad: Cell[][] = [
          ORG_HEADERS,
          ['IMPO2-ZB', '好的党支部', '党支部', 'DH-S09-DW', 'DH-S09', '社区', null, null], //          row 2
          ['IMPO2-G1', '党委下的党小组', '党小组', 'DH-S09-DW', 'DH-S09', '社区', null, null], //     row 3: nesting
          ['IMPO2-G2', '区域码写成党组织', '党小组', 'IMPO2-ZB', 'DH-S09-DW', '社区', null, null], // row 4: area is an org
          ['IMPO2-G3', '类别错误', '党小组', 'IMPO2-ZB', 'DH-S09', '居委会', null, null], //          row 5: category
          ['IMPO2-G4', '先撤后建', '党小组', 'IMPO2-ZB', 'DH-S09', '社区', '2020-01-01', '2019-01-01'], // row 6
          ['IMPO2-G5', '日期错误', '党小组', 'IMPO2-ZB', 'DH-S09', '社区', '2020-13-45', null], //     row 7
          ['DH-S09', '与区域同码', '党小组', 'IMPO2-ZB', 'DH-S09', '社区', null, null], //            row 8: code of an area
        ];
        const rb = await importFile('orgs', utf8Bom(csvText(bad)), 'orgs.csv');
        assert.equal(rb.status, 400, show(rb));
        assert.equal(rb.body.ok, false);
        assert.deepEqual(issues(rb.body.errors), ['3:上级编码', '4:所在区域编码', '5:类别', '6:撤销日期', '7:成立日期', '8:编码']);
        assert.equal((await orgs()).length, before + 4, 'nothing written');
        assert.equal((await admin.get('/api/orgs/IMPO2-ZB')).status, 404);
      });

      test('a scoped user importing a row without 上级编码 gets the error in that column', async () => {
        const sq = new Client(server.base);
        assert.equal((await sq.login('sq01', PASSWORD)).status, 200);
        const before = (await areas()).length;
        const file: Cell[][] = [AREA_HEADERS, ['IMP-SQ1', '社区内网格', '网格', 'DH-S01', null], ['IMP-SQ2', '无上级的社区', '社区', null, null]];
        const r = await sq.request('POST', '/api/imports/areas', upload(await xlsx(file), 'sq.xlsx'));
        assert.equal(r.status, 400, show(r));
        assert.deepEqual(issues(r.body.errors), ['3:上级编码']);
        assert.equal((await areas()).length, before);
      });

      test('a parent must come before its children in the file', async () => {
        const before = (await areas()).length;
        const file: Cell[][] = [AREA_HEADERS, ['IMP-ORD-X', '先写的小区', '小区', 'IMP-ORD', null], ['IMP-ORD', '后写的社区', '社区', 'DH', null]];
        const r = await importFile('areas', await xlsx(file), 'order.xlsx');
        assert.equal(r.status, 400, show(r));
        assert.deepEqual(issues(r.body.errors), ['2:上级编码']);
        assert.equal((await areas()).length, before);
      });

      test('the template is a real .xlsx whose first row has the headers', async () => {
        for (const [ledger, headers] of [
          ['areas', ['编码*', '名称*', '类型*', '上级编码', '网格类型']],
          ['orgs', ['编码*', '名称*', '类型*', '上级编码', '所在区域编码*', '类别', '成立日期', '撤销日期']],
        ] as const) {
          const res = await fetch(`${server.base}/api/imports/${ledger}/template`, { headers: { cookie: admin.cookie! } });
          assert.equal(res.status, 200);
          assert.match(res.headers.get('content-type') ?? '', /application\/vnd\.openxmlformats-officedocument\.spreadsheetml\.sheet/);
          assert.match(res.headers.get('content-disposition') ?? '', /attachment/);
          const buf = Buffer.from(await res.arrayBuffer());
          assert.equal(buf.subarray(0, 2).toString('latin1'), 'PK', 'a zip container');
          const wb = new ExcelJS.Workbook();
          await wb.xlsx.load(buf as unknown as ArrayBuffer);
          const ws = wb.worksheets[0]!;
          const first = (ws.getRow(1).values as unknown[]).slice(1).map((v) => String(v));
          assert.deepEqual(first, headers, ledger);
          const example = (ws.getRow(2).values as unknown[]).slice(1).filter((v) => v !== null && v !== undefined && v !== '');
          assert.ok(example.length >= 3, `${ledger}: an example row`);
          const kindCell = ws.getCell('C2');
          assert.equal(kindCell.dataValidation?.type, 'list', `${ledger}: 类型 offers its values`);
        }
      });

      test('a request that cannot be processed gets the error envelope', async () => {
        const none = await admin.request('POST', '/api/imports/areas', new FormData());
        assert.ok(none.status === 400, show(none));
        assert.match(none.body.error.message, HAN);
        const txt = await importFile('areas', utf8('编码,名称\n'), 'areas.txt');
        assert.equal(txt.status, 400, show(txt));
        assert.match(txt.body.error.message, HAN);
        const unknown = await importFile('areas-nope' as 'areas', await xlsx(GOOD), 'x.xlsx');
        assert.ok(unknown.status === 400 || unknown.status === 404, show(unknown));
        assert.ok(unknown.body.error, 'the error envelope');
        const broken = await importFile('areas', utf8('this is not a zip'), 'broken.xlsx');
        assert.equal(broken.status, 400, show(broken));
        assert.match(broken.body.error.message, HAN);
      });
    });
  });
}
