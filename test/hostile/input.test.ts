/**
 * Hostile input through the HTTP API (issue 8, item 3, points 6 and 8–11), on SQLite and
 * PostgreSQL: formula text stored as typed and neutralized in exports; SQL metacharacters in
 * every filter, sort and search treated literally or refused with 400; path traversal in
 * upload names; oversized and deeply nested JSON; invisible, direction and combining characters
 * in names under the one text rule (src/shared/text.ts).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from '../../src/io/excel.ts';
import { idCheckChar } from '../../src/domain/id-number.ts';
import type { Store } from '../../src/store/db.ts';
import { dialects, freshStore } from '../helpers/db.ts';
import { FIXTURE_PASSWORD, smallStreet } from '../helpers/fixtures.ts';
import { Client, startServer, type Running } from '../helpers/http.ts';
import { upload, xlsxOf } from '../helpers/hostile-files.ts';

const FORMULAS = ['=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0", '+1+1', '-2', '@SUM(1)', '\t=1+1', '\r=1+1'];
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('not really an image, but sniffed as one')]);

for (const dialect of dialects()) {
  describe(`hostile input on ${dialect}`, () => {
    let store: Store;
    let server: Running;
    let c: Client;
    before(async () => {
      store = await freshStore(dialect);
      await smallStreet(store);
      server = await startServer(store);
      c = new Client(server.base);
      assert.equal((await c.login('admin', FIXTURE_PASSWORD)).status, 200);
    });
    after(async () => {
      await server?.close();
      await store?.close();
    });
    const alive = async () => assert.equal((await c.get('/api/health')).status, 200);
    async function download(path: string): Promise<{ headers: Headers; bytes: Buffer }> {
      const res = await fetch(server.base + path, { headers: { cookie: c.cookie! } });
      assert.equal(res.status, 200, path);
      return { headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
    }

    test('formula text is stored exactly as typed and exported with a leading \' (.csv and .xlsx); formula cells of an upload are never evaluated', async () => {
      for (const [i, text] of FORMULAS.entries()) {
        const r = await c.post('/api/ledgers/services/records', { 事项编号: `F${i}`, 上报日期: '2023-05-06', 区域编码: 'SQ1', 来源: '热线', 类别: text, 事项内容: text, 状态: '待办' });
        assert.equal(r.status, 200, `${JSON.stringify(text)}: ${JSON.stringify(r.body)}`);
        assert.equal(r.body.content, text, 'stored as typed');
        assert.equal(r.body.category, text);
      }
      const csv = await download('/api/ledgers/services/export?format=csv&sort=事项编号');
      const rows = parseCsv(csv.bytes.toString('utf8'), { bom: true, columns: true }) as Array<Record<string, string>>;
      assert.equal(rows.length, FORMULAS.length);
      for (const row of rows) {
        const original = FORMULAS[Number(row['事项编号']!.slice(1))]!;
        assert.equal(row['事项内容'], `'${original}`, 'CSV: a leading apostrophe');
        assert.equal(row['类别'], `'${original}`);
      }
      const xlsx = await download('/api/ledgers/services/export?format=xlsx');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(xlsx.bytes as unknown as ArrayBuffer);
      const ws = wb.worksheets[0]!;
      const header = (ws.getRow(1).values as unknown[]).map(String);
      const col = header.indexOf('事项内容');
      let seen = 0;
      ws.eachRow((row, n) => {
        if (n === 1) return;
        const cell = row.getCell(col);
        assert.equal(cell.type, ExcelJS.ValueType.String, 'a text cell, never a formula');
        // XML turns a carriage return into a line feed when read back; the apostrophe stays in front.
        const eol = (v: string) => v.replace(/\r\n?/g, '\n');
        assert.ok(FORMULAS.map((f) => eol(`'${f}`)).includes(eol(String(cell.value))), JSON.stringify(cell.value));
        seen++;
      });
      assert.equal(seen, FORMULAS.length);

      // An uploaded .xlsx whose cells ARE formulas: the cached value, or the formula as text.
      const wb2 = new ExcelJS.Workbook();
      const s2 = wb2.addWorksheet('培训');
      s2.addRow(['日期', '名称', '类型', '形式', '参训人数']);
      s2.addRow(['2023-05-06', { formula: 'HYPERLINK("http://x","y")', result: '链接培训' }, '其他', '线下', { formula: '2+3', result: 5 }]);
      s2.addRow(['2023-05-07', { formula: "cmd|' /C calc'!A0" }, '其他', '线下', 7]);
      const up = await upload(server.base, '/api/imports/trainings', 'formulas.xlsx', Buffer.from(await wb2.xlsx.writeBuffer()), c);
      assert.equal(up.status, 200, JSON.stringify(up.body));
      const items = (await c.get('/api/ledgers/trainings/records?sort=日期')).body.items as Array<Record<string, unknown>>;
      assert.deepEqual(
        items.map((i) => [i.name, i.participants]),
        [
          ['链接培训', 5],
          ["=cmd|' /C calc'!A0", 7],
        ],
      );
      // A CSV import stores formula text as typed too, and an export imports back unchanged.
      const back = await upload(server.base, '/api/imports/services?dryRun=true', 'back.csv', csv.bytes, c);
      assert.equal(back.status, 200, JSON.stringify(back.body));
      assert.equal(back.body.unchanged, FORMULAS.length, 'the leading apostrophe is taken off again on import');
      await alive();
    });

    test('SQL metacharacters in search, filters, sort and every other query parameter: literal, or 400 in Chinese', async () => {
      const names = ['100%达标', '下划线_培训', "O'Brien培训", '反斜杠\\培训', '双引号"培训', '分号;培训', '注释--培训', '块/*注释*/培训', '弯引号’培训', '普通培训'];
      for (const [i, name] of names.entries()) {
        const r = await c.post('/api/ledgers/trainings/records', { 日期: `2024-03-${String(i + 1).padStart(2, '0')}`, 名称: name, 类型: '其他', 形式: '线下', 参训人数: i + 1 });
        assert.equal(r.status, 200, JSON.stringify(r.body));
      }
      const range = 'from=2024-03-01&to=2024-03-31';
      const count = async (query: string) => {
        const r = await c.get(`/api/ledgers/trainings/records?${range}&${query}`);
        assert.equal(r.status, 200, `${query}: ${JSON.stringify(r.body)}`);
        return r.body.total as number;
      };
      const q = (s: string) => `q=${encodeURIComponent(s)}`;
      // Each metacharacter finds exactly the one record that contains it.
      for (const [needle, expected] of [
        ['%', 1],
        ['_', 1],
        ["'", 1],
        ['\\', 1],
        ['"', 1],
        [';', 1],
        ['--', 1],
        ['/*', 1],
        ['’', 1],
        ['培训', 9],
        ["' OR 1=1 --", 0],
        ['" OR ""="', 0],
        ["'; DROP TABLE lg_trainings; --", 0],
        ['%_%', 0],
      ] as const) {
        assert.equal(await count(q(needle)), expected, `q=${needle}`);
      }
      // In-list filters compare whole values.
      assert.equal(await count(`f.名称=${encodeURIComponent("O'Brien培训")}`), 1);
      assert.equal(await count(`f.名称=${encodeURIComponent("' OR 1=1 --")}`), 0);
      assert.equal(await count(`f.名称=${encodeURIComponent('%')}`), 0);
      // Parameters naming fields, enums, dates or numbers refuse what they do not know.
      for (const bad of [
        `f.类型=${encodeURIComponent("' OR 1=1 --")}`,
        `f.${encodeURIComponent("名称' OR 1=1 --")}=x`,
        `sort=${encodeURIComponent("名称; DROP TABLE areas")}`,
        `sort=${encodeURIComponent("-日期'")}`,
        `dateField=${encodeURIComponent("日期' --")}`,
        `f.参训人数=${encodeURIComponent('1 OR 1=1')}`,
        `f.日期=${encodeURIComponent("2024-03-01'..")}`,
        `page=${encodeURIComponent('1;')}`,
      ]) {
        const r = await c.get(`/api/ledgers/trainings/records?${bad}`);
        assert.equal(r.status, 400, `${bad}: ${r.status}`);
        assert.match(r.body.error.message, /[\u4e00-\u9fff]/, `a Chinese message for ${bad}`);
      }
      const from = await c.get(`/api/ledgers/trainings/records?from=${encodeURIComponent("2024-01-01' OR '1'='1")}`);
      assert.equal(from.status, 400);
      const area = await c.get(`/api/ledgers/trainings/records?area=${encodeURIComponent("JD' OR 1=1 --")}`);
      assert.ok([400, 403, 404].includes(area.status), `area: ${area.status}`);
      // Metric queries: the same filters, and measure/groupBy are names, never SQL.
      const metric = async (query: string) => c.get(`/api/metrics/query?ledger=trainings&${range}&${query}`);
      assert.equal((await metric(`f.名称=${encodeURIComponent('100%达标')}`)).body.value, 1);
      assert.equal((await metric(q('%'))).body.value, 1);
      assert.equal((await metric(q("' OR 1=1 --"))).body.value, 0);
      assert.equal((await metric(`measure=sum:参训人数&${q('_')}`)).body.value, 2);
      for (const bad of [`measure=${encodeURIComponent('count; DROP TABLE areas')}`, `measure=${encodeURIComponent("sum:参训人数' --")}`, `groupBy=${encodeURIComponent("名称' --")}`, `groupBy=${encodeURIComponent('area:社区 OR 1=1')}`]) {
        const r = await metric(bad);
        assert.equal(r.status, 400, bad);
        assert.match(r.body.error.message, /[\u4e00-\u9fff]/);
      }
      // Members: the record list's search, and the roster's organization code.
      assert.equal((await c.get(`/api/ledgers/members/records?${q("' OR 1=1 --")}`)).body.total, 0);
      assert.equal((await c.get(`/api/orgs/${encodeURIComponent("SQ1-ZB1' OR 1=1 --")}/roster`)).status, 400);
      assert.equal((await c.get(`/api/members/structure?area=${encodeURIComponent("JD' --")}`)).status, 400);
      // The audit log's search fields compare whole values.
      for (const key of ['username', 'action', 'entity', 'entityId']) {
        const r = await c.get(`/api/audit?${key}=${encodeURIComponent("' OR 1=1 --")}`);
        assert.equal(r.status, 200, `${key}: ${JSON.stringify(r.body)}`);
        assert.equal(r.body.total, 0, key);
      }
      assert.equal((await c.get(`/api/audit?username=${encodeURIComponent('%')}`)).body.total, 0);
      assert.ok((await c.get('/api/audit?username=admin')).body.total > 0);
      // The trees: an area code in a query is a code or a 400.
      for (const path of ['/api/areas', '/api/orgs', '/api/users']) {
        const r = await c.get(`${path}?area=${encodeURIComponent("JD' OR 1=1 --")}`);
        assert.equal(r.status, 400, path);
        assert.match(r.body.error.message, /编码只能由字母、数字/);
      }
      assert.equal(await count(q('%')), 1, 'the table is still there');
      await alive();
    });

    test('path traversal in upload names: stored under a generated key, shown as a clean display name, downloaded with a safe RFC 5987 header', async () => {
      const meeting = await c.post('/api/ledgers/meetings/records', { 日期: '2023-05-06', 党组织编码: 'SQ1-ZB1', 会议类型: '主题党日', 主题: '附件测试' });
      assert.equal(meeting.status, 200, JSON.stringify(meeting.body));
      const marker = `jiceng-traversal-${process.pid}-${Date.now()}`;
      const names = [
        `../../../../../../../../tmp/${marker}-1.png`,
        `..\\..\\..\\..\\tmp\\${marker}-2.png`,
        '/etc/passwd.png',
        'C:\\Windows\\System32\\drivers\\etc\\hosts.png',
        'nul\u0000byte.png',
        'evil\u202Egnp.exe',
        `${'长'.repeat(300)}${'😀'.repeat(40)}.png`,
        "quote'\"(paren)*;.png",
      ];
      const ids: number[] = [];
      for (const name of names) {
        const r = await upload(server.base, `/api/meetings/${meeting.body.id}/attachments`, name, PNG, c);
        assert.equal(r.status, 200, `${JSON.stringify(name)}: ${JSON.stringify(r.body)}`);
        ids.push(r.body.id);
      }
      const record = await c.get(`/api/meetings/${meeting.body.id}/record`);
      const shown = record.body.attachments as Array<{ id: number; fileName: string }>;
      assert.equal(shown.length, names.length);
      for (const a of shown) {
        assert.doesNotMatch(a.fileName, /[\\/\u0000-\u001f\u202a-\u202e]/, a.fileName);
        assert.ok(!a.fileName.startsWith('.'), a.fileName);
        assert.ok([...a.fileName].length <= 120, `${[...a.fileName].length} characters`);
        assert.doesNotMatch(a.fileName, /[\ud800-\udbff](?![\udc00-\udfff])/, 'no emoji cut in half');
        const d = await download(`/api/meetings/${meeting.body.id}/attachments/${a.id}`);
        const cd = d.headers.get('content-disposition')!;
        assert.match(cd, /^attachment; filename="attachment"; filename\*=UTF-8''[A-Za-z0-9%!._~-]+$/, cd);
        assert.equal(decodeURIComponent(cd.split("''")[1]!), a.fileName);
        assert.deepEqual(d.bytes, PNG);
      }
      assert.equal(shown[0]!.fileName, `${marker}-1.png`);
      assert.equal(shown[5]!.fileName, 'evilgnp.exe');
      // An import's file name is only a display name too: nothing is written where it points.
      const csv = `日期,名称,类型,形式,参训人数\r\n2022-01-05,路径测试,其他,线下,3\r\n`;
      const imp = await upload(server.base, '/api/imports/trainings', `../../../../../../../tmp/${marker}-3.csv`, Buffer.from(csv), c);
      assert.equal(imp.status, 200, JSON.stringify(imp.body));
      for (const n of [1, 2, 3]) assert.equal(existsSync(join('/tmp', `${marker}-${n}.${n === 3 ? 'csv' : 'png'}`)), false);
      assert.equal(existsSync(join(tmpdir(), `${marker}-1.png`)), false);
      const audit = await c.get('/api/audit?action=import&entity=trainings');
      assert.ok(audit.body.items.some((e: { detail: { file: string } }) => e.detail.file === `${marker}-3.csv`), JSON.stringify(audit.body.items.map((e: { detail: unknown }) => e.detail)));
      await alive();
    });

    test('oversized JSON → 413, deeply nested JSON → 400, quickly; the server keeps serving', async () => {
      const big = JSON.stringify({ 日期: '2023-05-06', 名称: 'x'.repeat(3 * 1024 * 1024), 类型: '其他', 形式: '线下', 参训人数: 1 });
      let started = Date.now();
      let r = await c.request('POST', '/api/ledgers/trainings/records', undefined, { 'content-type': 'application/json' });
      r = await fetch(`${server.base}/api/ledgers/trainings/records`, { method: 'POST', body: big, headers: { 'content-type': 'application/json', cookie: c.cookie!, 'x-csrf-token': c.csrf! } }).then(async (res) => ({ status: res.status, body: await res.json(), headers: res.headers }));
      assert.equal(r.status, 413);
      assert.match(r.body.error.message, /提交的内容过大，不能超过2MB/);
      for (const deep of ['['.repeat(100_000) + ']'.repeat(100_000), `{"名称":${'['.repeat(100_000)}${']'.repeat(100_000)}}`, `{"a":${'{"a":'.repeat(1000)}1${'}'.repeat(1000)}}`]) {
        started = Date.now();
        const res = await fetch(`${server.base}/api/ledgers/trainings/records`, { method: 'POST', body: deep, headers: { 'content-type': 'application/json', cookie: c.cookie!, 'x-csrf-token': c.csrf! } });
        const body = (await res.json()) as { error: { message: string } };
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.match(body.error.message, /嵌套层数过多/);
        assert.ok(Date.now() - started < 2000, `${Date.now() - started} ms`);
      }
      // Nested values within the limit are refused as values, not crashed on.
      const nested = await c.post('/api/ledgers/trainings/records', { 日期: '2023-05-06', 名称: [[['x']]], 类型: '其他', 形式: '线下', 参训人数: { a: 1 } });
      assert.equal(nested.status, 400, JSON.stringify(nested.body));
      await alive();
    });

    test('names: NFC, no invisible or direction characters (a Chinese error), emoji allowed; codes unique after normalisation', async () => {
      const area = (code: string, name: string) => c.post('/api/areas', { code, name, kind: '社区', parentCode: 'JD' });
      for (const [name, message] of [
        ['七\u200B社区', /“名称”含有不可见字符（U\+200B）/],
        ['七\u202E区社', /“名称”含有文字方向控制字符（U\+202E）/],
        ['七\u200F社区', /文字方向控制字符（U\+200F）/],
        ['七\uFEFF社区', /不可见字符（U\+FEFF）/],
        ['七\u0000社区', /空字符（U\+0000）/],
        ['七社区\n', null],
        ['👨\u200D👩\u200D👧社区', /不可见字符（U\+200D）/],
      ] as const) {
        const r = await area('SQ7', name);
        if (message === null) {
          assert.equal(r.status, 200, 'a trailing line break is trimmed');
          assert.equal(r.body.name, '七社区');
          await c.post(`/api/areas/SQ7/retire`, { date: '2024-01-01', version: r.body.version });
          continue;
        }
        assert.equal(r.status, 400, `${JSON.stringify(name)}: ${JSON.stringify(r.body)}`);
        assert.match(r.body.error.message, message);
      }
      const composed = await area('SQ8', 'Cafe\u0301社区🏠');
      assert.equal(composed.status, 200, JSON.stringify(composed.body));
      assert.equal(composed.body.name, 'Caf\u00e9社区🏠', 'NFC, emoji kept');
      for (const code of ['ＳＱ9', 'SQ9\u200B', 'SQ9\u202E']) {
        const r = await area(code, '九社区');
        assert.equal(r.status, 400, code);
        assert.match(r.body.error.message, /编码只能由字母、数字/);
      }
      const org = await c.post('/api/orgs', { code: 'SQ8-ZB1', name: '支部\u2066党\u2069', kind: '党支部', parentCode: 'DGW', areaCode: 'SQ8' });
      assert.equal(org.status, 400);
      assert.match(org.body.error.message, /文字方向控制字符（U\+2066）/);
      // Users.
      const user = await c.post('/api/users', { username: 'zhang\u200Bsan', role: 'clerk', areaCode: 'SQ1' });
      assert.equal(user.status, 400);
      assert.match(user.body.error.message, /“用户名”含有不可见字符/);
      const named = await c.post('/api/users', { username: 'jose2', displayName: 'Jose\u0301何塞😀', role: 'clerk', areaCode: 'SQ1' });
      assert.equal(named.status, 200, JSON.stringify(named.body));
      assert.equal(named.body.user.displayName, 'Jos\u00e9何塞😀');
      const hidden = await c.post('/api/users', { username: 'jose3', displayName: '何\u2060塞', role: 'clerk', areaCode: 'SQ1' });
      assert.equal(hidden.status, 400);
      assert.match(hidden.body.error.message, /“姓名”含有不可见字符（U\+2060）/);
      // Members (a name field of a ledger) and free text.
      const body = '11010119900307123';
      const member = (name: string) => c.post('/api/ledgers/members/records', { 姓名: name, 性别: '男', 公民身份号码: body + idCheckChar(body), 所在党组织编码: 'SQ1-ZB1', 人员类别: '正式党员', 入党日期: '2015-07-01' });
      for (const name of ['张\u200B三', '张\u202E三', '张\u0007三']) {
        const r = await member(name);
        assert.equal(r.status, 400, JSON.stringify(r.body));
        assert.match(r.body.error.message, /“姓名”含有/);
      }
      const ok = await member('阿依古丽·买买提');
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      const free = '家庭👨\u200D👩\u200D👧 来访；\u200F右至左标记保留\t制表符\n换行';
      const s = await c.post('/api/ledgers/services/records', { 事项编号: 'U1', 上报日期: '2023-05-06', 区域编码: 'SQ1', 来源: '热线', 类别: '其他', 事项内容: free, 状态: '待办' });
      assert.equal(s.status, 200, JSON.stringify(s.body));
      assert.equal(s.body.content, free, 'emoji, ZWJ, RLM, tab and line break kept in free text');
      for (const bad of ['含\u0000空字符', '含\u202E反转', '含\uFFFD乱码']) {
        const r = await c.post('/api/ledgers/services/records', { 事项编号: 'U2', 上报日期: '2023-05-06', 区域编码: 'SQ1', 来源: '热线', 类别: '其他', 事项内容: bad, 状态: '待办' });
        assert.equal(r.status, 400, `${JSON.stringify(bad)}: ${JSON.stringify(r.body)}`);
        assert.match(r.body.error.message, /“事项内容”含有/);
      }
      // Natural keys are unique after normalisation: é composed and decomposed is one code.
      const facility = (code: string) => c.post('/api/ledgers/facilities/records', { 设施编码: code, 名称: '党群服务站', 类型: '党群服务站', 区域编码: 'SQ1', 建成日期: '2020-01-01', 状态: '在用' });
      assert.equal((await facility('CAF\u00c9-1')).status, 200);
      const dup = await facility('CAFE\u0301-1');
      assert.equal(dup.status, 409, JSON.stringify(dup.body));
      const zw = await facility('CAF\u00c9\u200B-1');
      assert.equal(zw.status, 400);
      assert.equal((await c.get(`/api/ledgers/facilities/records?f.设施编码=${encodeURIComponent('CAFE\u0301-1')}`)).body.total, 1, 'a filter finds it in either form');
      // The tree import applies the same rule, naming the row.
      const csv = '编码,名称,类型,上级编码\r\nSQ5,五社区,社区,JD\r\nSQ6,六\u200B社区,社区,JD\r\n';
      const imp = await upload(server.base, '/api/imports/areas', 'areas.csv', Buffer.from(csv), c);
      assert.equal(imp.status, 400);
      assert.deepEqual(
        imp.body.errors.map((e: { row: number; column: string }) => [e.row, e.column]),
        [[3, '名称']],
      );
      assert.match(imp.body.errors[0].message, /不可见字符（U\+200B）/);
      await alive();
    });
  });
}
