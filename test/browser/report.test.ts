/**
 * 年度述职报告, 更正审批 and 党员结构 in Debian's Chromium against a real server on the full demo
 * street (its 2023 records reproduce a real report's figures). The leader opens the 2023 report of
 * 东湖街道: the text reads 64场次 and 263.84万元; the figure 64 opens its 64 records with its label,
 * value and query; 下载Word gives a .docx with the same figures; 定稿封账 (after the confirmation)
 * shows 已定稿 with the hash. A clerk then requests a correction of one of those records; the
 * leader approves it on 更正审批 and the report's 差异 lists 64 → 63. 党员结构 draws its four charts
 * and the branch table with findings; the administrator reveals a member's 身份证号 (confirmed,
 * audited). Finally the report on a 390-px phone. Screenshots go to test-results/.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import JSZip from 'jszip';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_PASSWORD, loadDemo } from '../../src/demo/demo.ts';
import type { Store } from '../../src/store/db.ts';
import { todayInShanghai } from '../../src/domain/workdays.ts';
import { freshStore } from '../helpers/db.ts';
import { Client, startServer, type Running } from '../helpers/http.ts';
import { launchChromium, openPage, shot, signInAs } from '../helpers/browser.ts';

let store: Store;
let server: Running;
let browser: Browser;

/** The leader's signed-in session, reused for the phone. */
let leaderState: Awaited<ReturnType<BrowserContext['storageState']>> | undefined;

function open(viewport = { width: 1366, height: 900 }, storageState?: typeof leaderState) {
  return openPage(browser, viewport, { acceptDownloads: true, ...(storageState ? { storageState } : {}) });
}

function signIn(page: Page, username: string) {
  return signInAs(page, server.base, username);
}

/** No message toast over what a screenshot should show (hidden rather than waited out). */
async function noToasts(page: Page): Promise<void> {
  await page.addStyleTag({ content: '.ant-message { display: none !important; }' });
}

describe('年度述职报告, 更正审批 and 党员结构 in Chromium', () => {
  before(async () => {
    store = await freshStore('sqlite');
    await loadDemo(store, { ifEmpty: false, log: () => {} });
    server = await startServer(store);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await store?.close();
  });

  test('leader: the 2023 report, a figure’s records, Word, 定稿封账; a correction approved shows in 差异; 党员结构', async () => {
    const { context, page } = await open();
    try {
      await signIn(page, 'leader');
      leaderState = await context.storageState();
      await page.getByTestId('nav-reports-annual').click();
      await page.waitForURL(/\/reports\/annual/);

      // The year: 2023 from the drop-down.
      await page.getByTestId('report-year').click();
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option[title="2023年度"]').click();
      await page.waitForURL(/[?&]year=2023/);
      await page.getByTestId('report-title').getByText('2023年度东湖街道党工委书记抓基层党建工作述职报告').waitFor();
      const doc = page.getByTestId('report-doc');
      const text = await doc.innerText();
      for (const s of ['深入小区开展宣传教育活动64场次', '4个行政村集体经济收入263.84万元', '全年接待群众来访98批686人次', '走访商户14346户次', '一、成绩清单', '二、问题清单', '三、下一步工作思路']) {
        assert.ok(text.includes(s), `the report reads “${s}”`);
      }
      // Every figure is a link: 64 and 263.84万元 among them.
      assert.equal(await doc.getByTestId('fig-propaganda').innerText(), '64');
      assert.equal(await doc.getByTestId('fig-villageIncome').innerText(), '263.84万元');
      assert.ok((await doc.locator('.report-fig').count()) >= 50, 'every figure of the text is a link');
      await page.getByTestId('report-draft').waitFor();
      await page.evaluate(() => window.scrollTo(0, 0));
      await shot(page, 'report');

      // The figure 64 lists its 64 records, with its label, value and query.
      await doc.getByTestId('fig-propaganda').click();
      const drawer = page.getByTestId('figure-drawer');
      await drawer.getByTestId('figure-total').getByText('共 64 条').waitFor();
      await drawer.getByText('宣传教育活动', { exact: true }).first().waitFor();
      assert.match(await drawer.getByTestId('figure-value').innerText(), /64/);
      assert.match(await drawer.getByTestId('figure-query').innerText(), /\/api\/metrics\/query\?ledger=activities&measure=count&area=DH&from=2023-01-01&to=2023-12-31&f\.活动类型=宣传教育/);
      const rows = drawer.getByTestId('figure-records').locator('tr.ant-table-row');
      await rows.first().waitFor();
      assert.equal(await rows.count(), 20, 'the first page of 20');
      await drawer.locator('.ant-pagination').getByText('共 64 条').waitFor();
      await shot(page, 'report-figure-records');
      await page.keyboard.press('Escape');
      await drawer.waitFor({ state: 'detached' });

      // 下载Word: a .docx (a zip with word/document.xml) stating the same figures.
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-docx').click()]);
      assert.match(download.suggestedFilename(), /\.docx$/);
      const bytes = readFileSync((await download.path())!);
      assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK');
      const xml = await (await JSZip.loadAsync(bytes)).file('word/document.xml')!.async('string');
      const plain = xml.replace(/<[^>]+>/g, '');
      assert.ok(plain.includes('263.84万元') && plain.includes('64场次'), 'the Word document states the figures');

      // 定稿封账: the confirmation says what follows; then 已定稿 with the date and hash.
      await page.getByTestId('report-finalize').click();
      const confirm = page.getByTestId('finalize-confirm');
      await confirm.getByText(/只能提交更正申请/).waitFor();
      await page.getByTestId('finalize-ok').click();
      const done = page.getByTestId('report-finalized');
      await done.getByText('已定稿').waitFor();
      assert.match(await page.getByTestId('report-sha').innerText(), /[0-9a-f]{12}/);
      assert.equal(await page.getByTestId('report-finalize').count(), 0);
      await noToasts(page);
      await shot(page, 'report-finalized');

      // A clerk asks to correct one of the 64 records (a closed year: only by correction).
      const clerk = new Client(server.base);
      assert.equal((await clerk.login('clerk', DEMO_PASSWORD)).status, 200);
      const one = await clerk.get(`/api/metrics/records?${new URLSearchParams({ ledger: 'activities', area: 'DH', from: '2023-01-01', to: '2023-12-31', 'f.活动类型': '宣传教育', pageSize: '1' })}`);
      const record = one.body.items[0];
      const direct = await clerk.patch(`/api/ledgers/activities/records/${record.id}`, { type: '主题活动', version: record.version });
      assert.equal(direct.status, 409, JSON.stringify(direct.body));
      const asked = await clerk.post('/api/corrections', { ledger: 'activities', recordId: record.id, changes: { type: '主题活动' }, reason: '活动类型登记有误，应为主题活动' });
      assert.equal(asked.status, 200, JSON.stringify(asked.body));
      const id = asked.body.id as number;

      // 更正审批: the leader sees the record, the change and the reason, and approves.
      await page.getByTestId('nav-reports-corrections').click();
      await page.waitForURL(/\/reports\/corrections/);
      const changes = page.getByTestId(`correction-changes-${id}`);
      await changes.getByText('主题活动').waitFor();
      await changes.getByText(String(record.name)).waitFor();
      await page.getByTestId('correction-table').getByText('活动类型登记有误，应为主题活动').waitFor();
      await shot(page, 'report-corrections');
      await page.getByTestId(`approve-${id}`).click();
      await page.locator('.ant-popconfirm:visible .ant-btn-primary').click();
      await page.getByTestId('correction-table').getByText('没有待审批的更正申请').waitFor();

      // 差异: 宣传教育活动 64 in the finalized report, 63 now; the stored report still reads 64.
      await page.getByTestId('nav-reports-annual').click();
      await page.waitForURL(/\/reports\/annual/);
      await page.getByTestId('tab-diff').click();
      const diff = page.getByTestId('report-diff');
      const row = diff.locator('tr', { hasText: '宣传教育活动' });
      await row.waitFor();
      assert.match((await row.innerText()).replace(/\s+/g, ' '), /宣传教育活动 64 条 63 条/);
      await page.getByTestId('tab-final').click();
      const stored = page.getByTestId('report-final-doc');
      assert.equal(await stored.getByTestId('fig-propaganda').innerText(), '64');
      await page.getByTestId('tab-diff').click();
      await noToasts(page);
      await shot(page, 'report-diff');

      // 党员结构: four charts and the branches with their findings — one planted: a branch of 7 full
      // members whose committee the clerk records as ended today (7人以上应当成立支部委员会).
      const ended = await clerk.post('/api/orgs/DH-FG07/committees/end', { endedOn: todayInShanghai() });
      assert.equal(ended.status, 200, JSON.stringify(ended.body));
      await page.getByTestId('nav-members-menu').click();
      await page.getByTestId('nav-members-structure').click();
      await page.waitForURL(/\/members\/structure/);
      for (const k of ['gender', 'age', 'years', 'education']) await page.locator(`[data-testid="chart-${k}"][data-rendered="true"] canvas`).waitFor();
      const table = page.getByTestId('structure-table');
      await table.locator('tr.ant-table-row').first().waitFor();
      assert.ok((await table.locator('tr.ant-table-row').count()) > 20, 'every branch has a row');
      await page.getByTestId('findings-DH-FG07').getByText('正式党员7人，7人以上应当成立支部委员会，尚未成立').waitFor();
      assert.equal(await table.locator('.structure-row-warn').count(), 1, 'the branch with a finding is highlighted');
      await page.getByTestId('structure-only-issues').click();
      await table.locator('tr.ant-table-row').nth(1).waitFor({ state: 'detached' });
      await page.getByTestId('structure-only-issues').click();
      await page.evaluate(() => window.scrollTo(0, 0));
      await shot(page, 'member-structure');
    } catch (e) {
      await shot(page, 'report-failure');
      throw e;
    } finally {
      await context.close();
    }
  });

  test('admin reveals a member’s 身份证号 (confirmed first); the report on a 390-px phone', async () => {
    const { context, page } = await open();
    try {
      await signIn(page, 'admin');
      await page.goto(`${server.base}/ledgers/members?f.org=DH-S01-DW-ZB1`);
      await page.getByTestId('ledger-table').locator('tr.ant-table-row').first().click();
      const detail = page.getByTestId('record-detail');
      await detail.getByTestId('member-section').waitFor();
      await detail.getByTestId('reveal-id').click();
      await page.getByText('本次查看将记入审计日志').waitFor();
      await page.getByTestId('reveal-ok').click();
      assert.match(await page.getByTestId('revealed-value').innerText(), /^\d{17}[\dX]$/);
      await page.getByTestId('reveal-close').click();
      await page.getByTestId('revealed-value').waitFor({ state: 'detached' });

      // 转接 within the street: the member moves to 锦绣服饰有限公司党支部; the history shows it.
      await detail.getByTestId('member-transfer').click();
      const form = page.getByTestId('transfer-form');
      await form.getByTestId('transfer-to-org').click();
      await page.keyboard.type('DH-FG07');
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '锦绣服饰有限公司党支部' }).click();
      await form.getByRole('button', { name: '确 定' }).or(form.getByRole('button', { name: '确定' })).click();
      await form.waitFor({ state: 'detached' });
      const history = detail.getByTestId('transfer-history');
      await history.getByText('街道内转接').waitFor();
      await history.getByText(/→ 锦绣服饰有限公司党支部/).waitFor();
      await detail.getByText('锦绣服饰有限公司党支部').first().waitFor();
      await noToasts(page);
      await shot(page, 'member-transfer');
    } finally {
      await context.close();
    }

    const phone = await open({ width: 390, height: 844 }, leaderState);
    try {
      await phone.page.goto(`${server.base}/reports/annual?year=2023`);
      await phone.page.getByTestId('report-title').waitFor();
      await phone.page.getByTestId('report-finalized').waitFor();
      const width = await phone.page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 390, `page is ${width}px wide on a 390px screen`);
      await shot(phone.page, 'report-phone');
      await phone.page.getByTestId('fig-villageIncome').click();
      await phone.page.getByTestId('figure-drawer').getByTestId('figure-total').waitFor();
      await shot(phone.page, 'report-phone-figure');
    } finally {
      await phone.context.close();
    }
  });
});
