/**
 * The ledger engine through its public faces: the record API, imports of real .xlsx and .csv
 * files (UTF-8, BOM, GB18030), exports that import back, and metric queries — on SQLite and,
 * when configured, PostgreSQL.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import ExcelJS from '../src/io/excel.ts';
import iconv from 'iconv-lite';
import { LEDGERS } from '../src/domain/ledgers/catalogue.ts';
import type { FieldDef, LedgerDef } from '../src/domain/ledgers/types.ts';
import { idCheckChar } from '../src/domain/id-number.ts';
import { openStore, type Store } from '../src/store/db.ts';
import { WHOLE_DATABASE } from '../src/store/scope.ts';
import { createArea } from '../src/store/trees.repository.ts';
import { SYSTEM_ACTOR, withWrite } from '../src/store/unit-of-work.ts';
import { dialects, freshStore } from './helpers/db.ts';
import { FIXTURE_PASSWORD, smallStreet } from './helpers/fixtures.ts';
import { Client, startServer, type Running } from './helpers/http.ts';

const tmp = mkdtempSync(join(tmpdir(), 'jiceng-ledgers-'));

function idNumber(i: number, gender: '男' | '女' = '男'): string {
  const seq = String(100 + i * 2 + (gender === '男' ? 1 : 0)).slice(-3);
  const body = `110105199003${String((i % 28) + 1).padStart(2, '0')}${seq}`;
  return body + idCheckChar(body);
}

/** A valid record of any ledger: dates rise in field order, so every "not before" rule holds. */
function sampleRecord(def: LedgerDef, i: number): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  let k = 0;
  for (const f of def.fields) {
    if (f.derived) continue;
    out[f.label] = sampleValue(f, i, k);
    if (f.type === 'date') k++;
  }
  const o: Record<string, Record<string, string | number>> = {
    works: { 工作类别: '秸秆离田', 单位: '公顷' },
    petitions: { 人数: 1, 是否集体访: '否', 是否越级: '否' },
    services: { 状态: '已办结' },
    projects: { 状态: '已完成' },
    members: { 人员类别: '正式党员', 性别: '男' },
    applicants: { 性别: '男' },
    hotline: { '办理时限(工作日)': 5 },
    inspections: { 发现隐患数: 2, 已整改数: 1 },
    meetings: { 应到人数: 10, 实到人数: 8 },
  };
  Object.assign(out, o[def.key] ?? {});
  delete out['越级去向'];
  return out;
}

function sampleValue(f: FieldDef, i: number, dateIndex: number): string | number {
  switch (f.type) {
    case 'enum':
      return f.values![i % f.values!.length]!;
    case 'date':
      return `2023-${String(dateIndex + 2).padStart(2, '0')}-${String(10 + i).padStart(2, '0')}`;
    case 'integer':
      return i + 3;
    case 'amount':
      return `${i + 1}00.5${i}`;
    case 'quantity':
      return `${i + 1}.25${i}`;
    case 'boolean':
      return '否';
    case 'area':
      return f.areaKind === '网格' ? 'SQ1-WG1' : i % 2 ? 'SQ1' : 'SQ1-XQ1';
    case 'org':
      return 'SQ1-ZB1';
    case 'unit':
      return i % 2 ? 'SQ1' : 'SQ1-ZB1';
    case 'idNumber':
      return idNumber(i);
    case 'phone':
      return `1380000000${i}`;
    case 'longtext':
      return `${f.label}：第${i}条，含“引号”、逗号,和换行\n第二行`;
    default:
      return i === 0 ? `=HYPERLINK("http://x","${f.label}")` : `${f.label}${i}`;
  }
}

async function upload(c: Client, path: string, name: string, bytes: Buffer | string, query = '') {
  const fd = new FormData();
  fd.append('file', new Blob([typeof bytes === 'string' ? Buffer.from(bytes) : new Uint8Array(bytes)]), name);
  return c.request('POST', `${path}${query}`, fd);
}

async function xlsxOf(headers: string[], rows: Array<Array<string | number | null>>): Promise<Buffer> {
  const file = join(tmp, `f${Math.random().toString(36).slice(2)}.xlsx`);
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false, useStyles: false });
  const ws = wb.addWorksheet('台账');
  ws.addRow(headers).commit();
  for (const r of rows) ws.addRow(r).commit();
  await wb.commit();
  return readFileSync(file);
}

function csvOf(headers: string[], rows: Array<Array<string | number | null>>): string {
  const cell = (v: string | number | null) => (v === null ? '' : /[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
  return [headers, ...rows].map((r) => r.map(cell).join(',')).join('\r\n');
}

const INSPECTION_HEADERS = ['排查日期', '网格编码', '对象类型', '对象名称', '排查人', '专项行动', '发现隐患数', '已整改数'];

function inspectionRow(i: number): Array<string | number | null> {
  const grids = ['SQ1-WG1', 'SQ1-XQ1-WG1', 'SQ2-WG1', 'CUN1-WG1'];
  const types = ['商户', '居民户', '居民户', '人员密集场所'];
  const hazards = i % 3;
  return [`2023-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`, grids[i % 4]!, types[i % 4]!, `对象${i}`, `排查员${i % 50}`, i % 10 ? null : '燃气安全专项', hazards, hazards ? hazards - 1 : 0];
}

for (const dialect of dialects()) {
  describe(`ledgers on ${dialect}`, () => {
    let store: Store;
    let server: Running;
    const admin = () => new Client(server.base);
    let a: Client;
    let sq1: Client;
    let grid: Client;

    before(async () => {
      store = await freshStore(dialect);
      await smallStreet(store);
      server = await startServer(store);
      a = admin();
      sq1 = new Client(server.base);
      grid = new Client(server.base);
      assert.equal((await a.login('admin', FIXTURE_PASSWORD)).status, 200);
      assert.equal((await sq1.login('sq1', FIXTURE_PASSWORD)).status, 200);
      assert.equal((await grid.login('grid', FIXTURE_PASSWORD)).status, 200);
      // Unmasked export is a per-user grant of the security administrator's; the fixture street has
      // none, so the admin's grant is written directly (the grant's API is tested in data-safety tests).
      const adminId = (await store.db.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow()).id;
      await store.db.insertInto('export_grants').values({ user_id: adminId, granted_at: new Date().toISOString(), granted_by: null }).execute();
    });
    after(async () => {
      await server.close();
      await store.close();
    });

    test('the catalogue lists every ledger with its fields', async () => {
      const r = await a.get('/api/ledgers');
      assert.equal(r.status, 200);
      assert.equal(r.body.items.length, LEDGERS.length);
      const funds = r.body.items.find((l: { key: string }) => l.key === 'funds');
      assert.deepEqual(funds.fields.find((f: { label: string }) => f.label === '金额(元)'), { key: 'amount', label: '金额(元)', type: 'amount', required: true, derived: false, unit: '元' });
    });

    test('create, read, edit with version, delete and restore; each change audited', async () => {
      const created = await sq1.post('/api/ledgers/funds/records', { 日期: '2023-05-06', 资金类别: '慰问金', '金额(元)': '1234.56', 区域编码: 'SQ1-XQ1', 对象或说明: '困难党员' });
      assert.equal(created.status, 200, JSON.stringify(created.body));
      assert.equal(created.body.amount, '1234.56');
      assert.equal(created.body.version, 1);
      const id = created.body.id;
      const stale = await sq1.patch(`/api/ledgers/funds/records/${id}`, { 'amount': '1.00', version: 2 });
      assert.equal(stale.status, 409);
      const edited = await sq1.patch(`/api/ledgers/funds/records/${id}`, { '金额(元)': '1000.00', version: 1 });
      assert.equal(edited.status, 200, JSON.stringify(edited.body));
      assert.equal(edited.body.amount, '1000.00');
      assert.equal(edited.body.version, 2);
      const bad = await sq1.patch(`/api/ledgers/funds/records/${id}`, { '金额(元)': '1.001', version: 2 });
      assert.equal(bad.status, 400);
      assert.match(bad.body.error.message, /两位小数/);
      assert.equal((await sq1.request('DELETE', `/api/ledgers/funds/records/${id}`, { version: 1 })).status, 409);
      assert.equal((await sq1.request('DELETE', `/api/ledgers/funds/records/${id}`, { version: 2 })).status, 200);
      assert.equal((await sq1.get(`/api/ledgers/funds/records/${id}`)).status, 404);
      assert.equal((await sq1.get('/api/ledgers/funds/records?deleted=true')).body.total, 1);
      assert.equal((await sq1.post(`/api/ledgers/funds/records/${id}/restore`)).status, 200);
      assert.equal((await sq1.get(`/api/ledgers/funds/records/${id}`)).body.amount, '1000.00');
      const audit = await a.get(`/api/audit?entity=funds&entityId=${id}`);
      assert.deepEqual(audit.body.items.map((e: { action: string }) => e.action), ['update', 'delete', 'update', 'create']);
      const upd = audit.body.items.find((e: { action: string; before: unknown }) => e.action === 'update' && e.before);
      assert.equal(upd.before.amount, '1234.56');
      assert.equal(upd.after.amount, '1000.00');
    });

    test('area scope: outside records are not found, outside codes are refused; roles per ledger', async () => {
      const other = await a.post('/api/ledgers/funds/records', { 日期: '2023-05-06', 资金类别: '低保', '金额(元)': '10', 区域编码: 'SQ2' });
      assert.equal(other.status, 200);
      assert.equal((await sq1.get(`/api/ledgers/funds/records/${other.body.id}`)).status, 404);
      assert.equal((await sq1.patch(`/api/ledgers/funds/records/${other.body.id}`, { 对象或说明: 'x', version: 1 })).status, 404);
      const outside = await sq1.post('/api/ledgers/funds/records', { 日期: '2023-05-06', 资金类别: '低保', '金额(元)': '10', 区域编码: 'SQ2' });
      assert.equal(outside.status, 400);
      assert.match(outside.body.error.message, /管辖范围/);
      assert.equal((await sq1.get('/api/ledgers/funds/records?area=SQ2')).status, 403);
      const list = await sq1.get('/api/ledgers/funds/records');
      assert.ok(list.body.items.every((r: { areaCode: string }) => r.areaCode.startsWith('SQ1')));
      // A 网格员 records inspections and residents' requests, and nothing else.
      const insp = await grid.post('/api/ledgers/inspections/records', { 排查日期: '2023-06-01', 网格编码: 'SQ1-WG1', 对象类型: '商户', 对象名称: '便利店', 排查人: '王五', 发现隐患数: 1, 已整改数: 1 });
      assert.equal(insp.status, 200, JSON.stringify(insp.body));
      assert.equal((await grid.get('/api/ledgers/funds/records')).status, 403);
      const notGrid = await grid.post('/api/ledgers/inspections/records', { 排查日期: '2023-06-01', 网格编码: 'SQ1', 对象类型: '商户', 对象名称: '便利店', 排查人: '王五', 发现隐患数: 1, 已整改数: 1 });
      assert.equal(notGrid.status, 400);
      assert.match(notGrid.body.error.message, /网格/);
    });

    test('a 10,000-row file with 3 bad rows is refused naming exactly those rows; the database is unchanged', async () => {
      const rows = Array.from({ length: 10_000 }, (_, i) => inspectionRow(i));
      // Spreadsheet rows: the header is row 1, so data index i is row i + 2.
      rows[15]![7] = 5; // row 17: 已整改数 > 发现隐患数
      rows[15]![6] = 1;
      rows[5001]![1] = 'NOPE'; // row 5003: unknown grid
      rows[9997]![2] = '路人'; // row 9999: not an 对象类型
      const before = (await a.get('/api/metrics/query?ledger=inspections')).body.value;
      const file = await xlsxOf(INSPECTION_HEADERS, rows);
      const r = await upload(a, '/api/imports/inspections', 'inspections.xlsx', file);
      assert.equal(r.status, 400);
      assert.equal(r.body.ok, false);
      assert.deepEqual(
        r.body.errors.map((e: { row: number; column: string }) => [e.row, e.column]),
        [[17, '已整改数'], [5003, '网格编码'], [9999, '对象类型']],
      );
      assert.equal((await a.get('/api/metrics/query?ledger=inspections')).body.value, before);
    });

    test('a 100,000-row inspections .xlsx imports in one transaction; the same file is recognized', async () => {
      const rows = Array.from({ length: 100_000 }, (_, i) => inspectionRow(i));
      const file = await xlsxOf(INSPECTION_HEADERS, rows);
      const dry = await upload(a, '/api/imports/inspections', 'big.xlsx', file, '?dryRun=true');
      assert.equal(dry.status, 200, JSON.stringify(dry.body.errors?.slice(0, 3)));
      const before = (await a.get('/api/metrics/query?ledger=inspections')).body.value;
      assert.equal(dry.body.rows, 100_000);
      const r = await upload(a, '/api/imports/inspections', 'big.xlsx', file);
      assert.equal(r.status, 200, JSON.stringify(r.body.errors?.slice(0, 3)));
      assert.equal(r.body.inserted, 100_000);
      const count = await a.get('/api/metrics/query?ledger=inspections');
      assert.equal(count.body.value, before + 100_000);
      // Merchants are every 4th row: 25,000; their hazards (i % 3 for i ≡ 0 mod 4) sum to a known total.
      let hazards = 0;
      for (let i = 0; i < 100_000; i += 4) hazards += i % 3;
      const q = new URLSearchParams({ ledger: 'inspections', measure: 'sum:发现隐患数', 'f.对象类型': '商户' });
      const sum = await a.get(`/api/metrics/query?${q}`);
      // … plus the one hazard of the shop the 网格员 recorded in the scope test.
      assert.equal(sum.body.value, hazards + 1, 'hazards of merchants');
      const again = await upload(a, '/api/imports/inspections', 'big-again.xlsx', file);
      assert.equal(again.status, 400);
      assert.match(again.body.errors[0].message, /已于/);
      assert.equal((await a.get('/api/metrics/query?ledger=inspections')).body.value, before + 100_000);
    });

    test('CSV in GB18030, UTF-8 with BOM and without; natural keys keep re-imports from duplicating', async () => {
      const headers = ['工单编号', '来源', '受理日期', '办理时限(工作日)', '诉求类别', '区域编码', '办结日期', '回访结果'];
      const rows = [
        ['GB-001', '12345热线', '2023/9/28', 3, '噪音扰民', 'SQ1', '2023年10月9日', '满意'],
        ['GB-002', '督办件', '2023-09-28', 3, '路灯维修', 'SQ2', '2023-10-10', '基本满意'],
      ];
      const gb = iconv.encode(csvOf(headers, rows), 'gb18030');
      const r1 = await upload(a, '/api/imports/hotline', 'gb.csv', gb);
      assert.equal(r1.status, 200, JSON.stringify(r1.body));
      assert.equal(r1.body.inserted, 2);
      const list = await a.get('/api/ledgers/hotline/records?sort=工单编号');
      assert.equal(list.body.items[0].category, '噪音扰民');
      assert.equal(list.body.items[0].onTime, '是', '3 working days after 2023-09-28 is 10-09 (National Day and its 调休)');
      assert.equal(list.body.items[1].onTime, '否');
      const again = await upload(a, '/api/imports/hotline', 'gb-again.csv', iconv.encode(csvOf(headers, rows), 'gb18030'));
      assert.equal(again.status, 200);
      assert.equal(again.body.inserted, 0);
      assert.equal(again.body.unchanged, 2);
      const changed = [['GB-001', '12345热线', '2023/9/28', 5, '噪音扰民', 'SQ1', '', '']];
      const conflict = await upload(a, '/api/imports/hotline', 'c.csv', `\uFEFF${csvOf(headers, changed)}`);
      assert.equal(conflict.status, 400);
      assert.deepEqual(conflict.body.errors.map((e: { row: number; column: string }) => [e.row, e.column]), [[2, '工单编号']]);
      const bom = await upload(a, '/api/imports/hotline', 'bom.csv', `\uFEFF${csvOf(headers, [['U-1', '其他', '2023-01-05', 1, '咨询', 'SQ1', '', '']])}`);
      assert.equal(bom.status, 200, JSON.stringify(bom.body));
      const plain = await upload(a, '/api/imports/hotline', 'plain.csv', csvOf([...headers, '备注'], [['U-2', '其他', '2023-01-05', 1, '咨询', 'SQ1', '', '', 'x']]));
      assert.equal(plain.status, 200);
      assert.deepEqual(plain.body.warnings.map((w: { row: number; column: string }) => [w.row, w.column]), [[1, '备注']], 'an extra column is a warning');
      const missing = await upload(a, '/api/imports/hotline', 'm.csv', csvOf(['工单编号'], [['X']]));
      assert.equal(missing.status, 400);
      assert.ok(missing.body.errors.every((e: { row: number }) => e.row === 1));
    });

    test('metrics: coverage, groupBy area:社区, month, rate; a sum of 100,000 amounts exact to the fen', async () => {
      const headers = ['日期', '资金类别', '金额(元)', '区域编码', '对象或说明'];
      const areas = ['SQ1', 'SQ1-XQ1', 'SQ2', 'CUN1'];
      let totalFen = 0n;
      const perArea = new Map<string, bigint>();
      const rows: Array<Array<string | number | null>> = [];
      for (let i = 0; i < 100_000; i++) {
        const fen = BigInt(((i * 7919) % 100_000) + 1);
        totalFen += fen;
        const area = areas[i % 4]!;
        const community = area.startsWith('SQ1') ? 'SQ1' : area;
        perArea.set(community, (perArea.get(community) ?? 0n) + fen);
        const yuan = `${fen / 100n}.${String(fen % 100n).padStart(2, '0')}`;
        rows.push([`2024-${String((i % 12) + 1).padStart(2, '0')}-15`, '其他救助', yuan, area, null]);
      }
      const r = await upload(a, '/api/imports/funds', 'funds.csv', csvOf(headers, rows));
      assert.equal(r.status, 200, JSON.stringify(r.body.errors?.slice(0, 3)));
      const yuan = (f: bigint) => `${f / 100n}.${String(f % 100n).padStart(2, '0')}`;
      const sum = await a.get('/api/metrics/query?ledger=funds&measure=sum:amount&from=2024-01-01&to=2024-12-31');
      assert.equal(sum.body.value, yuan(totalFen));
      assert.equal(sum.body.unit, '元');
      const by = await a.get(`/api/metrics/query?${new URLSearchParams({ ledger: 'funds', measure: 'sum:金额(元)', from: '2024-01-01', to: '2024-12-31', groupBy: 'area:社区' })}`);
      assert.deepEqual(by.body.groups.map((g: { key: string; value: string }) => [g.key, g.value]), [['SQ1', yuan(perArea.get('SQ1')!)], ['SQ2', yuan(perArea.get('SQ2')!)]]);
      assert.equal(by.body.groups[0].label, '一社区');
      const cov = await a.get('/api/metrics/query?ledger=funds&measure=coverage:社区&from=2024-01-01&to=2024-12-31');
      assert.equal(cov.body.value, 2, 'SQ1 and SQ2; CUN1 is a village');
      const covV = await a.get('/api/metrics/query?ledger=funds&measure=coverage:村&from=2024-01-01&to=2024-12-31');
      assert.equal(covV.body.value, 1);
      const covX = await a.get('/api/metrics/query?ledger=funds&measure=coverage:小区&from=2024-01-01&to=2024-12-31');
      assert.equal(covX.body.value, 1);
      const months = await a.get('/api/metrics/query?ledger=funds&from=2024-01-01&to=2024-12-31&groupBy=month');
      assert.equal(months.body.groups.length, 12);
      assert.deepEqual(months.body.groups[0], { key: '2024-01', label: '2024年1月', value: 8334 });
      const quarters = await a.get('/api/metrics/query?ledger=funds&from=2024-01-01&to=2024-12-31&groupBy=quarter');
      assert.deepEqual(quarters.body.groups.map((g: { key: string }) => g.key), ['2024-Q1', '2024-Q2', '2024-Q3', '2024-Q4']);
      // Scoped: sq1 sees only its community's share.
      const mine = await sq1.get('/api/metrics/query?ledger=funds&measure=sum:amount&from=2024-01-01&to=2024-12-31');
      assert.equal(mine.body.value, yuan(perArea.get('SQ1')!));
      const behind = await a.get(`/api/metrics/records?${new URLSearchParams({ ledger: 'funds', 'f.区域编码': 'SQ1', from: '2024-01-01', to: '2024-01-31', pageSize: '5' })}`);
      assert.equal(behind.status, 200);
      // January rows are i ≡ 0 (mod 12), all of them i ≡ 0 (mod 4): area SQ1. 100,000 / 12 → 8,334.
      assert.equal(behind.body.total, 8334);
      assert.equal(behind.body.items.length, 5);
      assert.ok(behind.body.items.every((x: { area: string }) => x.area === 'SQ1'));
      const rate = await a.get(`/api/metrics/query?${new URLSearchParams({ ledger: 'hotline', measure: 'rate:回访结果=满意,基本满意', 'f.来源': '督办件' })}`);
      assert.equal(rate.status, 200);
      assert.equal(rate.body.value, 1);
      const badMeasure = await a.get('/api/metrics/query?ledger=funds&measure=sum:区域编码');
      assert.equal(badMeasure.status, 400);
      const injection = await a.get(`/api/metrics/query?${new URLSearchParams({ ledger: 'funds', groupBy: "amount; drop table users --" })}`);
      assert.equal(injection.status, 400);
    });

    test('export → import into an empty database reproduces every ledger', async () => {
      const target = await freshStore(dialect);
      await smallStreet(target);
      const server2 = await startServer(target);
      const b = new Client(server2.base);
      await b.login('admin', FIXTURE_PASSWORD);
      try {
        for (const def of LEDGERS) {
          for (let i = 0; i < 3; i++) {
            const made = await a.post(`/api/ledgers/${def.key}/records?area=JD`, sampleRecord(def, i));
            assert.equal(made.status, 200, `${def.key}: ${JSON.stringify(made.body)}`);
          }
          for (const format of ['xlsx', 'csv'] as const) {
            const res = await fetch(`${server.base}/api/ledgers/${def.key}/export?format=${format}&unmasked=true`, { headers: { cookie: a.cookie! } });
            assert.equal(res.status, 200, def.key);
            const bytes = Buffer.from(await res.arrayBuffer());
            if (format === 'csv') assert.equal(bytes.subarray(0, 3).toString('hex'), 'efbbbf', 'CSV exports carry a BOM');
            const source = await a.get(`/api/ledgers/${def.key}/records?pageSize=500&sort=id`);
            if (format === 'xlsx') {
              const r = await upload(b, `/api/imports/${def.key}`, `${def.key}.xlsx`, bytes);
              assert.equal(r.status, 200, `${def.key} ${format}: ${JSON.stringify(r.body.errors?.slice(0, 3))}`);
              const copied = await b.get(`/api/ledgers/${def.key}/records?pageSize=500&sort=id`);
              const strip = (x: Record<string, unknown>) => {
                const { id, createdAt, updatedAt, version, ...rest } = x;
                void id; void createdAt; void updatedAt; void version;
                return rest;
              };
              assert.deepEqual(copied.body.items.map(strip), source.body.items.map(strip), `${def.key} round trip`);
            } else {
              const text = bytes.toString('utf8');
              if (def.key === 'activities') assert.ok(text.includes(`'=HYPERLINK`), 'formula text is neutralized in CSV exports');
            }
          }
        }
      } finally {
        await server2.close();
        await target.close();
      }
    });

    test('codes made by another process (the CLI) are known at once: the code index is never stale', async () => {
      assert.equal((await a.get('/api/ledgers/funds/records?pageSize=1')).status, 200, 'the index is warm');
      const other = openStore(store.file ?? store.pgUrl!);
      try {
        await withWrite(other, SYSTEM_ACTOR, (w) => createArea(w, WHOLE_DATABASE, { code: 'SQ3', name: '三社区', kind: '社区', parentCode: 'JD' }));
      } finally {
        await other.close();
      }
      const r = await a.post('/api/ledgers/funds/records', { 日期: '2024-05-06', 资金类别: '慰问金', '金额(元)': '10', 区域编码: 'SQ3' });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.areaName, '三社区');
    });

    test('identity numbers are masked in lists and exports by default', async () => {
      const list = await a.get('/api/ledgers/members/records');
      assert.ok(list.body.items.length > 0);
      for (const m of list.body.items) assert.match(m.idNumber, /^\d{4}\*{10}[\dX]{4}$/);
      const res = await fetch(`${server.base}/api/ledgers/members/export?format=csv`, { headers: { cookie: a.cookie! } });
      const text = await res.text();
      assert.ok(!text.includes(idNumber(0)), 'the default export is masked');
      const forbidden = await fetch(`${server.base}/api/ledgers/members/export?format=csv&unmasked=true`, { headers: { cookie: sq1.cookie! } });
      assert.equal(forbidden.status, 403);
    });
  });
}
