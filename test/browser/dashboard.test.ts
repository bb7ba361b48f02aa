/**
 * 工作台, 目标责任 and 报告模板 in Debian's Chromium against a real server on the full demo street.
 * The leader lands on 工作台, picks 2024: the key-figure tiles with last year beside them, the
 * compliance summary, the targets and the five charts; a tile opens its records. 目标责任 lists the
 * demo's 5 targets for 2024 (2 未完成); 新建目标 builds a metric (活动 · 宣传教育) whose live value
 * is the same as /api/metrics/query answers, and the new target appears with its progress. 报告模板
 * adds a figure to a paragraph (its {{key}} token appears), saves it, and shows the server's refusal
 * of a token without a figure. Screenshots go to test-results/.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD, loadDemo } from '../../src/demo/demo.ts';
import type { Store } from '../../src/store/db.ts';
import { freshStore } from '../helpers/db.ts';
import { Client, startServer, type Running } from '../helpers/http.ts';
import { launchChromium, shot } from '../helpers/browser.ts';

let store: Store;
let server: Running;
let browser: Browser;

async function noToasts(page: Page): Promise<void> {
  await page.addStyleTag({ content: '.ant-message { display: none !important; }' });
}

async function pick(page: Page, text: string | RegExp): Promise<void> {
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: text }).first().click();
}

describe('工作台, 目标责任 and 报告模板 in Chromium', () => {
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

  test('leader: 工作台 for 2024, a tile’s records; 目标责任 with the builder’s live value; 报告模板', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const page = await context.newPage();
    page.setDefaultTimeout(25_000); // generous: CI runs these beside the PostgreSQL suites on 2 cores
    try {
      await page.goto(server.base + '/');
      await page.getByTestId('login-username').fill('leader');
      await page.getByTestId('login-password').fill(DEMO_PASSWORD);
      await page.getByTestId('login-submit').click();
      await page.getByTestId('user-menu').waitFor();
      await page.waitForURL(/\/dashboard/);

      // 2024 from the drop-down.
      await page.getByTestId('dashboard-year').click();
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option[title="2024年度"]').click();
      await page.waitForURL(/[?&]year=2024/);
      const tiles = page.getByTestId('dashboard-tiles');
      await tiles.getByTestId('tile-activities').waitFor();
      assert.ok((await tiles.locator('.dash-tile').count()) >= 10, 'the key figures');
      assert.match(await tiles.getByTestId('tile-activities').innerText(), /上年\s*[\d,]+/);
      for (const k of ['petitions', 'hotline', 'inspections', 'gender', 'age']) await page.locator(`[data-testid="chart-${k}"][data-rendered="true"] canvas`).waitFor();
      await page.getByTestId('dashboard-compliance').getByText('已落实').waitFor();
      assert.match((await page.getByTestId('compliance-link').getAttribute('href')) ?? '', /^\/meetings\/compliance\?(.*&)?year=2024/);
      const dashTargets = page.getByTestId('dashboard-targets');
      await dashTargets.getByText('未完成').first().waitFor();
      assert.equal(await dashTargets.locator('li').count(), 5);
      await noToasts(page);
      await shot(page, 'dashboard', true);

      // A tile opens its records: 开展活动 of 2024.
      const api = new Client(server.base);
      assert.equal((await api.login('leader', DEMO_PASSWORD)).status, 200);
      const dash = await api.get('/api/dashboard?year=2024');
      const activities = dash.body.figures.find((f: { key: string }) => f.key === 'activities');
      await tiles.getByTestId('tile-activities').click();
      const drawer = page.getByTestId('figure-drawer');
      await drawer.getByTestId('figure-total').getByText(`共 ${Number(activities.value).toLocaleString('en-US')} 条`).waitFor();
      assert.match(await drawer.getByTestId('figure-query').innerText(), /ledger=activities&measure=count&area=DH&from=2024-01-01&to=2024-12-31/);
      await drawer.getByTestId('figure-records').locator('tr.ant-table-row').first().waitFor();
      await shot(page, 'dashboard-records');
      await page.keyboard.press('Escape');
      await drawer.waitFor({ state: 'detached' });

      // 目标责任: the demo's five targets, two missed.
      await page.getByTestId('nav-targets').click();
      await page.waitForURL(/\/targets/);
      const table = page.getByTestId('targets-table');
      await page.getByTestId('targets-summary').getByText('2024年共 5 个目标，2 个未完成').waitFor();
      assert.equal(await table.locator('tr.ant-table-row').count(), 5);
      assert.equal(await table.locator('.ant-tag', { hasText: '未完成' }).count(), 2);
      await shot(page, 'targets');

      // 新建目标: 活动 · 记录条数 · 活动类型=宣传教育 — the live value is the server's.
      const live = await api.get(`/api/metrics/query?${new URLSearchParams({ ledger: 'activities', measure: 'count', area: 'DH', from: '2024-01-01', to: '2024-12-31', 'f.活动类型': '宣传教育' })}`);
      assert.equal(live.status, 200, JSON.stringify(live.body));
      await page.getByTestId('target-new').click();
      const form = page.getByTestId('target-form');
      await form.getByTestId('target-title').fill('开展宣传教育活动60场次以上');
      await form.getByTestId('builder-ledger').click();
      await page.keyboard.type('活动');
      await pick(page, /^活动$/);
      await form.locator('[data-testid="builder-live-value"]:not([data-value=""])').waitFor({ state: 'attached' });
      await form.getByTestId('builder-add-filter').click();
      await pick(page, '活动类型');
      await form.getByTestId('builder-filter-活动类型').click();
      await pick(page, '宣传教育');
      await page.keyboard.press('Escape');
      await form.locator(`[data-testid="builder-live-value"][data-value="${live.body.value}"]`).waitFor({ state: 'attached' });
      await form.getByTestId('builder-live').getByText(String(live.body.value)).waitFor();
      await form.getByTestId('target-threshold').fill('60');
      await shot(page, 'target-builder');
      await page.getByTestId('target-save').click();
      await form.waitFor({ state: 'detached' });
      await page.getByTestId('targets-summary').getByText('2024年共 6 个目标').waitFor();
      const row = table.locator('tr.ant-table-row', { hasText: '开展宣传教育活动60场次以上' });
      await row.getByText(`${live.body.value} / 60`).waitFor();
      await row.getByText(Number(live.body.value) >= 60 ? '已完成' : '未完成').waitFor();

      // 报告模板: a figure added to the first paragraph inserts its token; saved; a stray token refused.
      await page.getByTestId('nav-reports-template').click();
      await page.waitForURL(/\/reports\/template/);
      const para = page.getByTestId('paragraph-text-0-0');
      await para.waitFor();
      await page.getByTestId('add-figure-0-0').click();
      const fig = page.getByTestId('figure-form');
      await fig.getByTestId('figure-label').fill('宣传教育活动（新增）');
      await fig.getByTestId('figure-key').fill('propNew');
      // The ledger pick can be lost when the drop-down re-renders under load: pick again then.
      const liveValue = fig.locator('[data-testid="figure-builder-live-value"]:not([data-value=""])');
      for (let attempt = 1; ; attempt++) {
        await fig.getByTestId('figure-builder-ledger').click();
        await page.keyboard.type('活动');
        await pick(page, /^活动$/);
        try {
          await liveValue.waitFor({ state: 'attached', timeout: 10_000 });
          break;
        } catch (e) {
          if (attempt === 3) throw e;
          await page.keyboard.press('Escape');
        }
      }
      await fig.getByRole('button', { name: /插\s*入/ }).click();
      await fig.waitFor({ state: 'detached' });
      assert.match(await para.inputValue(), /\{\{propNew\}\}$/);
      await page.getByTestId('paragraph-0-0').getByText('{{propNew}} 宣传教育活动（新增）').waitFor();
      await page.getByTestId('template-save').click();
      await page.getByTestId('template-result').getByText('模板已保存').waitFor();
      const saved = await api.get('/api/reports/annual/template?year=2024');
      assert.equal(saved.body.saved, true);
      assert.ok(saved.body.template.achievements[0].paragraphs[0].figures.some((f: { key: string }) => f.key === 'propNew'));

      await para.fill((await para.inputValue()) + '另有{{nosuch}}项。');
      await page.getByTestId('template-save').click();
      const refused = page.getByTestId('template-result');
      await refused.locator('.ant-alert-error').or(refused.and(page.locator('.ant-alert-error'))).first().waitFor();
      assert.match(await refused.innerText(), /nosuch/);
      await noToasts(page);
      await page.evaluate(() => window.scrollTo(0, 0));
      await shot(page, 'template-editor');
    } catch (e) {
      await shot(page, 'dashboard-failure');
      throw e;
    } finally {
      await context.close();
    }
  });
});
