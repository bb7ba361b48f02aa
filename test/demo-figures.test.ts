/**
 * The demo street reproduces the 2023 report: every figure of the table in
 * shared/reference/demo-street.md ("2023 figures the demo must reproduce exactly"), computed
 * over HTTP with the metric query of CONTRACTS §2 from the records `jiceng demo` loads. The
 * expected numbers are the report's, written here by hand — not taken from the generator.
 * Also the 2024 plans of 下一步工作思路 as the demo carries them (some met, some missed).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadDemo } from '../src/demo/demo.ts';
import type { Store } from '../src/store/db.ts';
import { dialects, freshStore } from './helpers/db.ts';
import { Client, startServer, type Running } from './helpers/http.ts';
import { generateDemoLedgers } from '../src/demo/ledgers-demo.ts';
import JSZip from 'jszip';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** How the report states the figures of demo-street.md's table (counts as plain digits). */
const REPORT_PHRASES = [
  '服务群众项目30项', '党工委会议30次', '宣传教育活动64场次', '覆盖4个村、16个社区、60个小区', '9768人次', '发展党员22名', '制度文件32项', '走访93次', '问题124件',
  '基层治理专干38名', '系列活动84场次', '3个新建社区', '1个村、11个社区', '来访98批686人次', '回访满意率100%', '越级进京访0起', '秸秆离田700公顷', '商户14346户次', '居民55808户次',
  '责任事故0起', '警务室13个、警务站26个', '公共法律服务中心1个、公共法律服务站14个', '集体经济收入263.84万元', '福利分红84.26万元', '承办事项435个', '党建品牌20个',
  '文化长廊4座、社区微空间13处', '幸福食堂1处、幸福驿站21处、幸福学堂17处、幸福医馆2处', '救助金169.37万元', '培训23期，受益群众10482人次',
  '清理堆放物3164处、恢复绿地2123平方米、拆除违建28处、清理垃圾2458吨、疏通消防通道658次、设置分类垃圾桶892组、清理违停车辆1878台、修补破损路面3693平方米', '巡河265次，清理河道垃圾214.9吨',
];

const PASSWORD = 'Demo@2026jc';
const YEAR_2023 = { from: '2023-01-01', to: '2023-12-31' };
const YEAR_2024 = { from: '2024-01-01', to: '2024-12-31' };
/** Stock figures (设施 in use): everything built by the end of the year. */
const AT_END_2023 = { to: '2023-12-31' };

type Params = Record<string, string>;

for (const dialect of dialects()) {
  describe(`demo street: the 2023 report's figures from records (${dialect})`, () => {
    let store: Store;
    let server: Running;
    let leader: Client;
    let loadSeconds = 0;

    before(async () => {
      store = await freshStore(dialect);
      const t0 = performance.now();
      await loadDemo(store, { ifEmpty: false, log: () => {} });
      loadSeconds = (performance.now() - t0) / 1000;
      server = await startServer(store);
      leader = new Client(server.base);
      assert.equal((await leader.login('leader', PASSWORD)).status, 200);
    });

    after(async () => {
      await server?.close();
      await store?.close();
    });

    /** GET /api/metrics/query with names and values URL-encoded; the figure's value. */
    async function metric(ledger: string, measure: string, filters: Params = {}, range: Params = YEAR_2023, extra: Params = {}): Promise<number | string> {
      const qs = new URLSearchParams({ ledger, measure, ...range, ...extra });
      for (const [k, v] of Object.entries(filters)) qs.set(`f.${k}`, v);
      const r = await leader.get(`/api/metrics/query?${qs.toString()}`);
      assert.equal(r.status, 200, `${ledger} ${measure} ${JSON.stringify(filters)}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body.value;
    }

    async function expectFigure(expected: number | string, ledger: string, measure: string, filters: Params = {}, range: Params = YEAR_2023, extra: Params = {}) {
      const value = await metric(ledger, measure, filters, range, extra);
      const what = `${ledger} ${measure} ${JSON.stringify(filters)} ${JSON.stringify(range)}`;
      if (typeof expected === 'string') assert.equal(String(value), expected, what);
      else assert.equal(value, expected, what);
    }

    test('the demo loads in reasonable time', () => {
      // Informational bound: the whole demo (about 160,000 records) on a small machine.
      assert.ok(loadSeconds < 120, `demo load took ${loadSeconds.toFixed(1)} s`);
      console.log(`# demo load on ${dialect}: ${loadSeconds.toFixed(1)} s`);
    });

    test('1 落实30项党组织服务群众项目', async () => {
      await expectFigure(30, 'projects', 'count');
    });

    test('2 年内召开党工委会议30次', async () => {
      await expectFigure(30, 'meetings', 'count', { 会议类型: '党工委会议', 党组织编码: 'DH-DGW' });
    });

    test('3 进小区宣传教育活动64场次', async () => {
      await expectFigure(64, 'activities', 'count', { 活动类型: '宣传教育' });
    });

    test('4 覆盖4个村、16个社区、60个小区', async () => {
      await expectFigure(4, 'activities', 'coverage:村', { 活动类型: '宣传教育' });
      await expectFigure(16, 'activities', 'coverage:社区', { 活动类型: '宣传教育' });
      await expectFigure(60, 'activities', 'coverage:小区', { 活动类型: '宣传教育' });
    });

    test('5 9768人深度参与', async () => {
      await expectFigure(9768, 'activities', 'sum:参与人数', { 活动类型: '宣传教育' });
    });

    test('6 高标准发展党员22名', async () => {
      await expectFigure(22, 'applicants', 'count', {}, { ...YEAR_2023, dateField: '上级党委批准日期' });
    });

    test('7 制发各类制度30余项 (32)', async () => {
      await expectFigure(32, 'documents', 'count');
    });

    test('8 深入基层联系点90余次 (93)', async () => {
      await expectFigure(93, 'visits', 'count');
    });

    test('9 帮助解决难题124件', async () => {
      await expectFigure(124, 'services', 'count', { 来源: '双报到,联系点', 状态: '已办结' }, { ...YEAR_2023, dateField: '办结日期' });
    });

    test('10 新招录38名基层治理专干', async () => {
      await expectFigure(38, 'cadres', 'count', { 类别: '基层治理专干' });
    });

    test('11 系列活动84场次', async () => {
      await expectFigure(84, 'activities', 'count', { 活动类型: '主题活动,业务比武,文体活动' });
    });

    test('12 3个新社区“三委”首届选举', async () => {
      await expectFigure(3, 'elections', 'coverage:社区', { 选举类型: '首届选举' });
      // Each of the three for all three bodies.
      await expectFigure(9, 'elections', 'count', { 选举类型: '首届选举' });
      await expectFigure(3, 'elections', 'distinct:机构', { 选举类型: '首届选举' });
    });

    test('13 1个村、11个社区“三委”空岗补选', async () => {
      await expectFigure(1, 'elections', 'coverage:村', { 选举类型: '空岗补选' });
      await expectFigure(11, 'elections', 'coverage:社区', { 选举类型: '空岗补选' });
    });

    test('14 累计接访98批686人次', async () => {
      await expectFigure(98, 'petitions', 'count', { 信访形式: '来访' });
      await expectFigure(686, 'petitions', 'sum:人数', { 信访形式: '来访' });
    });

    test('15 市长公开电话、督办件满意度达到100%', async () => {
      await expectFigure(1, 'hotline', 'rate:回访结果=满意,基本满意', { 来源: '市长公开电话,督办件' });
      const followedUp = await metric('hotline', 'count', { 来源: '市长公开电话,督办件', 回访结果: '满意,基本满意,不满意,未回访' });
      assert.ok(Number(followedUp) > 100, `the rate rests on real 回访: ${followedUp}`);
      // Other sources are not all satisfied: the filter matters.
      assert.ok(Number(await metric('hotline', 'rate:回访结果=满意,基本满意')) < 1);
    });

    test('16 无越级进京访', async () => {
      await expectFigure(0, 'petitions', 'count', { 越级去向: '进京' });
      assert.ok(Number(await metric('petitions', 'count', { 越级去向: '市' })) > 0, 'a few went to the city');
    });

    test('17 完成700公顷的秸秆离田', async () => {
      await expectFigure('700', 'works', 'sum:数量', { 工作类别: '秸秆离田' });
    });

    test('18 排查走访商户14346户次、居民55808户次', async () => {
      await expectFigure(14346, 'inspections', 'count', { 对象类型: '商户' });
      await expectFigure(55808, 'inspections', 'count', { 对象类型: '居民户' });
    });

    test('19 全年无责任事故', async () => {
      await expectFigure(0, 'incidents', 'count', { 是否责任事故: '是' });
      assert.ok(Number(await metric('incidents', 'count')) > 0, 'a few non-liability incidents exist');
    });

    test('20 建立警务室13个、警务站26个', async () => {
      await expectFigure(13, 'facilities', 'count', { 类型: '警务室', 状态: '在用' }, AT_END_2023);
      await expectFigure(26, 'facilities', 'count', { 类型: '警务站', 状态: '在用' }, AT_END_2023);
    });

    test('21 公共法律服务中心1个，服务站14个', async () => {
      await expectFigure(1, 'facilities', 'count', { 类型: '公共法律服务中心', 状态: '在用' }, AT_END_2023);
      await expectFigure(14, 'facilities', 'count', { 类型: '公共法律服务站', 状态: '在用' }, AT_END_2023);
    });

    test('22 4个行政村累计收入263.84万元', async () => {
      await expectFigure('2638400.00', 'funds', 'sum:金额(元)', { 资金类别: '村集体经济收入' });
      await expectFigure(4, 'funds', 'coverage:村', { 资金类别: '村集体经济收入' });
    });

    test('23 发放福利分红84万余元', async () => {
      await expectFigure('842600.00', 'funds', 'sum:金额(元)', { 资金类别: '福利分红' });
    });

    test('24 累计上传承办事项435个', async () => {
      await expectFigure(435, 'services', 'count');
    });

    test('25 党建品牌20个', async () => {
      await expectFigure(20, 'brands', 'count');
    });

    test('26 4座文化长廊 · 13处社区微空间', async () => {
      await expectFigure(4, 'facilities', 'count', { 类型: '文化长廊', 状态: '在用' }, AT_END_2023);
      await expectFigure(13, 'facilities', 'count', { 类型: '社区微空间', 状态: '在用' }, AT_END_2023);
    });

    test('27 幸福食堂1处 · 幸福驿站20余处 · 幸福学堂17处 · 幸福医馆2处', async () => {
      await expectFigure(1, 'facilities', 'count', { 类型: '幸福食堂', 状态: '在用' }, AT_END_2023);
      await expectFigure(21, 'facilities', 'count', { 类型: '幸福驿站', 状态: '在用' }, AT_END_2023);
      await expectFigure(17, 'facilities', 'count', { 类型: '幸福学堂', 状态: '在用' }, AT_END_2023);
      await expectFigure(2, 'facilities', 'count', { 类型: '幸福医馆', 状态: '在用' }, AT_END_2023);
    });

    test('20–27 the year-end filter matters: facilities out of use or built in 2024 exist', async () => {
      assert.ok(Number(await metric('facilities', 'count', { 类型: '警务室,幸福驿站', 状态: '停用' }, AT_END_2023)) > 0);
      assert.ok(Number(await metric('facilities', 'count', { 类型: '警务站,幸福驿站,社区微空间' }, YEAR_2024)) > 0);
    });

    test('28 各类救助金169万余元', async () => {
      await expectFigure('1693700.00', 'funds', 'sum:金额(元)', { 资金类别: '低保,五保,特困供养,慰问金,奖扶,其他救助' });
    });

    test('29 职业技能和素质教育培训20余期受益群众1万余人', async () => {
      await expectFigure(23, 'trainings', 'count', { 类型: '职业技能,素质教育' });
      await expectFigure(10482, 'trainings', 'sum:参训人数', { 类型: '职业技能,素质教育' });
    });

    test('30 创城行动的工作量', async () => {
      const expected: Array<[string, string]> = [
        ['清理堆放物', '3164'],
        ['恢复绿地', '2123'],
        ['拆除违建', '28'],
        ['清理垃圾', '2458'],
        ['疏通消防通道', '658'],
        ['设置分类垃圾桶', '892'],
        ['清理违停车辆', '1878'],
        ['修补破损路面', '3693'],
      ];
      for (const [category, total] of expected) await expectFigure(total, 'works', 'sum:数量', { 工作类别: category });
    });

    test('31 巡河265次，出动清理垃圾214.9吨', async () => {
      await expectFigure('265', 'works', 'sum:数量', { 工作类别: '巡河' });
      await expectFigure('214.9', 'works', 'sum:数量', { 工作类别: '河道清理垃圾' });
    });

    // ------------------------------------------------------------ 2024: the plans as the data carries them

    test('2024 每季度至少召开1次党建工作专题会议: held in 3 quarters (one missed); 2023 in all 4', async () => {
      const quarters = async (range: Params) => {
        const qs = new URLSearchParams({ ledger: 'meetings', measure: 'count', groupBy: 'quarter', 'f.会议类型': '党建工作专题会议', 'f.党组织编码': 'DH-DGW', ...range });
        const r = await leader.get(`/api/metrics/query?${qs.toString()}`);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        return (r.body.groups as Array<{ key: string }>).map((g) => g.key);
      };
      assert.deepEqual(await quarters(YEAR_2023), ['2023-Q1', '2023-Q2', '2023-Q3', '2023-Q4']);
      const q2024 = await quarters(YEAR_2024);
      assert.equal(q2024.length, 3, `quarters of 2024 with a meeting: ${q2024.join(', ')}`);
    });

    test('2024 组织专题培训班4次以上 (met)', async () => {
      assert.ok(Number(await metric('trainings', 'count', { 类型: '专题培训班' }, YEAR_2024)) >= 4);
    });

    test('2024 打造党群服务中心3个 (2 built: missed), 示范型党群服务站1个 (met)', async () => {
      await expectFigure(2, 'facilities', 'count', { 类型: '党群服务中心' }, YEAR_2024);
      assert.ok(Number(await metric('facilities', 'count', { 类型: '党群服务站' }, YEAR_2024, { q: '示范型' })) >= 1);
    });

    test('2024 培养后备干部20人以上 (met)', async () => {
      assert.ok(Number(await metric('cadres', 'count', { 类别: '后备干部' }, YEAR_2024)) >= 20);
    });

    // ------------------------------------------------------------ 组织生活: full in 2023, only the planted gaps in 2024

    test('组织生活 2023: every organization met every rule', async () => {
      const r = await leader.get('/api/compliance?year=2023&asOf=2024-01-31');
      assert.equal(r.status, 200);
      assert.ok(r.body.rows.length > 100, 'every branch, group and the 党工委 is judged');
      assert.deepEqual(r.body.findings, []);
    });

    test('组织生活 2024: the findings are exactly the planted gaps', async () => {
      const r = await leader.get('/api/compliance?year=2024&asOf=2025-01-31');
      const found = (r.body.findings as Array<{ org: string; meetingType: string; period: string }>).map((f) => `${f.org} ${f.meetingType} ${f.period}`).sort();
      const planted = generateDemoLedgers().plantedGaps.map((g) => `${g.org} ${g.meetingType} ${g.period}`).sort();
      assert.ok(planted.length >= 7, 'the demo plants gaps');
      assert.deepEqual(found, planted);
    });

    // ------------------------------------------------------------ the annual report: every figure from records

    test('the 2023 annual report carries every figure of the table, each with the query that produced it', async () => {
      const r = await leader.get('/api/reports/annual?area=DH&year=2023');
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const text = [r.body.title, ...r.body.sections.flatMap((s: { title: string; paragraphs: Array<{ text: string }> }) => [s.title, ...s.paragraphs.map((p) => p.text)])].join('\n');
      for (const phrase of REPORT_PHRASES) assert.ok(text.includes(phrase), `the report says “${phrase}”`);
      // Each figure's value is exactly what its query answers.
      const figures = r.body.sections.flatMap((s: any) => s.paragraphs.flatMap((p: any) => p.figures));
      assert.ok(figures.length >= 45);
      for (const fig of figures.slice(0, 12)) {
        const q = await leader.get(fig.query);
        assert.equal(q.status, 200, fig.query);
        assert.deepEqual(q.body.value, fig.value, fig.label);
      }
    });

    test('the Word report: 公文 page, margins, fonts and page numbers, and every figure in its text', async () => {
      const res = await fetch(`${server.base}/api/reports/annual?area=DH&year=2023&format=docx`, { headers: { cookie: leader.cookie! } });
      assert.equal(res.status, 200);
      const zip = await JSZip.loadAsync(Buffer.from(await res.arrayBuffer()));
      const xml = await zip.file('word/document.xml')!.async('string');
      const text = xml.replace(/<w:tab\/>/g, ' ').replace(/<[^>]+>/g, '');
      for (const phrase of REPORT_PHRASES) assert.ok(text.includes(phrase), `the Word text says “${phrase}”`);
      assert.match(xml, /<w:pgSz w:w="11906" w:h="16838"/, 'A4');
      assert.match(xml, /w:top="2098"/, 'top margin 37 mm');
      assert.match(xml, /w:bottom="1984"/, 'bottom margin 35 mm');
      assert.match(xml, /w:left="1587"/, 'left margin 28 mm');
      assert.match(xml, /w:right="1474"/, 'right margin 26 mm');
      assert.match(xml, /<w:docGrid w:type="linesAndChars" w:linePitch="579" w:charSpace="-849"\/>/, '22 lines of 28 characters');
      assert.match(xml, /w:eastAsia="方正小标宋简体"/);
      assert.match(xml, /w:eastAsia="仿宋_GB2312"/);
      assert.match(xml, /w:eastAsia="黑体"/);
      assert.match(xml, /w:eastAsia="楷体_GB2312"/);
      assert.match(xml, /<w:sz w:val="44"\/>/, 'title 2号');
      assert.match(xml, /<w:sz w:val="32"\/>/, 'body 3号');
      const footers = await Promise.all(Object.keys(zip.files).filter((n) => /word\/footer\d+\.xml/.test(n)).map((n) => zip.file(n)!.async('string')));
      assert.equal(footers.length, 2, 'odd and even page footers');
      for (const f of footers) assert.match(f, /PAGE/, 'a page-number field');
      assert.ok(footers.some((f) => /w:jc w:val="right"/.test(f)) && footers.some((f) => /w:jc w:val="left"/.test(f)));
      const settings = await zip.file('word/settings.xml')!.async('string');
      assert.match(settings, /evenAndOddHeaders/);
    });

    test('the 2024 report: targets with live progress, and a 问题清单 from the planted gaps and missed targets', async () => {
      const r = await leader.get('/api/reports/annual?area=DH&year=2024');
      assert.equal(r.status, 200);
      const status = Object.fromEntries(r.body.targets.map((t: { title: string; status: string }) => [t.title, t.status]));
      assert.deepEqual(status, {
        每季度至少召开1次党建工作专题会议: 'missed',
        组织专题培训班4次以上: 'met',
        打造党群服务中心3个: 'missed',
        打造示范型党群服务站1个: 'met',
        培养后备干部20人以上: 'met',
      });
      const problems = r.body.problems.map((p: { text: string }) => p.text).join('\n');
      assert.match(problems, /组织生活制度落实有差距/);
      assert.match(problems, /打造党群服务中心3个/);
      const compliance = r.body.problems.find((p: { text: string }) => p.text.includes('组织生活'));
      assert.equal(compliance.evidence.items.length, generateDemoLedgers().plantedGaps.length);
      // The 2023 report's 下一步 lists these 2024 targets.
      const r23 = await leader.get('/api/reports/annual?area=DH&year=2023');
      assert.deepEqual(r23.body.plans.map((p: { target: { title: string } | null }) => p.target?.title), Object.keys(status));
    });

    test('工作台: this year beside last year, every tile a query whose records can be opened', async () => {
      const r = await leader.get('/api/dashboard?area=DH&year=2024');
      assert.equal(r.status, 200);
      const fig = Object.fromEntries(r.body.figures.map((f: { key: string }) => [f.key, f]));
      assert.equal(fig.recruited.lastYear, 22, '2023: 22 approvals (row 6)');
      assert.equal(fig.projects.lastYear, 30, '2023: 30 projects (row 1)');
      for (const f of r.body.figures.slice(0, 4)) {
        const q = await leader.get(f.query);
        assert.deepEqual(q.body.value, f.value, f.label);
        const records = await leader.get(f.query.replace('/api/metrics/query', '/api/metrics/records'));
        assert.equal(records.status, 200);
      }
      assert.equal(r.body.trends.petitions.groups.length, 12);
      assert.ok(r.body.inspectionsByCommunity.groups.length >= 16);
      assert.ok(r.body.compliance.missed >= 1);
      assert.equal(r.body.targets.length, 5);
    });

    test('jiceng report annual writes the Word, JSON and Markdown reports with every figure', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'jiceng-report-'));
      const db = store.file ?? store.pgUrl!;
      for (const ext of ['docx', 'json', 'md']) {
        const out = join(dir, `r.${ext}`);
        const r = spawnSync(process.execPath, ['bin/jiceng.mjs', 'report', 'annual', '--area', 'DH', '--year', '2023', '--out', out, '--db', db], { encoding: 'utf8' });
        assert.equal(r.status, 0, r.stderr);
        let text: string;
        if (ext === 'docx') {
          const zip = await JSZip.loadAsync(readFileSync(out));
          text = (await zip.file('word/document.xml')!.async('string')).replace(/<[^>]+>/g, '');
        } else text = readFileSync(out, 'utf8');
        if (ext === 'json') text = JSON.parse(text).sections.flatMap((s: any) => s.paragraphs.map((p: any) => p.text)).join('\n');
        for (const phrase of REPORT_PHRASES) assert.ok(text.includes(phrase), `${ext}: “${phrase}”`);
      }
    });
  });
}
