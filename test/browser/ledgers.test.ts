/**
 * The ledger pages in Debian's Chromium against a real server on the demo street (trees and users,
 * no demo ledger records): a clerk imports 安全排查 — first a file with errors, listed by row and
 * column, then a good one, then the same one again (refused at row 1) — filters the list by
 * 对象类型 and a date range and sees the count, exports what it shows, opens a record and edits it
 * (the server's inline error first); the 网格员 records an inspection on a 360×740 phone.
 * Screenshots go to test-results/.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD, loadDemo } from '../../src/demo/demo.ts';
import type { Store } from '../../src/store/db.ts';
import { freshStore } from '../helpers/db.ts';
import { Client, startServer, type Running } from '../helpers/http.ts';
import { launchChromium, openPage, shot, signInAs } from '../helpers/browser.ts';

const HEADER = '排查日期,网格编码,对象类型,对象名称,排查人,专项行动,发现隐患数,已整改数';
const LONG_NAME = '滨江国际花园二期暨湖畔春晓东区商住混合型高层住宅小区底商一层东侧第三间百姓放心粮油便民超市';

/** Rows 2–6: a bad date, a community where a grid belongs, 已整改数 > 发现隐患数, an unknown 对象类型. */
const BAD_CSV = [
  HEADER,
  '2025-03-03,DH-WG014,商户,测试超市甲,李明,春季消防,2,1',
  '2025-13-01,DH-WG014,商户,测试超市乙,李明,,0,0',
  '2025-03-04,DH-S01,居民户,金色新城1号楼101室,李明,,0,0',
  '2025-03-05,DH-WG014,企业,测试企业,李明,,1,3',
  '2025-03-06,DH-WG014,学校,测试学校,李明,,0,0',
].join('\n');

/** Six good rows in March 2025 (no demo records then): 3 商户, 2 居民户, 1 企业; one 商户 in April. */
const GOOD_CSV =
  '\uFEFF' +
  [
    HEADER,
    `2025-03-03,DH-WG014,商户,${LONG_NAME},李明,春季消防,2,1`,
    '2025-03-05,DH-WG014,商户,金色新城便利店,李明,春季消防,1,1',
    '2025-03-20,DH-WG007,商户,柳树屯小卖部,王芳,春季消防,0,0',
    '2025-03-06,DH-WG014,居民户,金色新城2号楼301室,李明,,0,0',
    '2025-03-07,DH-WG008,居民户,柳树屯村东头张家,王芳,,1,0',
    '2025-03-10,DH-WG007,企业,柳树屯砖厂,王芳,春季消防,3,2',
    '2025-04-02,DH-WG014,商户,金色新城水果店,李明,,0,0',
  ].join('\n');

let store: Store;
let server: Running;
let browser: Browser;

function open(viewport = { width: 1366, height: 860 }) {
  return openPage(browser, viewport, { acceptDownloads: true });
}

function signIn(page: Page, username: string) {
  return signInAs(page, server.base, username);
}

async function chooseFile(page: Page, name: string, text: string): Promise<void> {
  await page.locator('.ant-modal input[type=file]').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') });
  await page.locator('.ant-modal').getByText(name).waitFor();
}

async function count(page: Page): Promise<string> {
  return (await page.getByTestId('ledger-count').innerText()).replace(/,/g, '');
}

describe('ledger pages in Chromium', () => {
  before(async () => {
    store = await freshStore('sqlite');
    await loadDemo(store, { ifEmpty: false, log: () => {}, ledgers: false });
    server = await startServer(store);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await store?.close();
  });

  test('clerk imports 安全排查 (errors, then good rows), filters, exports, opens and edits a record', async () => {
    const { context, page } = await open();
    try {
      await signIn(page, 'clerk');
      await page.getByTestId('nav-ledgers-inspections').click();
      await page.waitForURL(/\/ledgers\/inspections/);
      await page.getByTestId('ledger-count').waitFor();
      assert.equal(await count(page), '0');

      // A file with errors: each listed by row and column, nothing imported.
      await page.getByTestId('ledger-import').click();
      await chooseFile(page, 'bad.csv', BAD_CSV);
      await page.getByTestId('import-check').click();
      await page.getByTestId('import-errors').getByText('文件中有 4 处错误，未导入任何数据').waitFor();
      const errors = page.getByTestId('import-error-table');
      const rows = await errors.locator('tbody tr').allInnerTexts();
      const cells = rows.map((r) => r.split('\t').map((s) => s.trim()));
      assert.deepEqual(
        cells.map((c) => [c[0], c[1]]),
        [
          ['3', '排查日期'],
          ['4', '网格编码'],
          ['5', '已整改数'],
          ['6', '对象类型'],
        ],
      );
      assert.match(cells[1]![2]!, /应为网格的编码/);
      assert.ok(await page.getByTestId('import-confirm').isDisabled(), 'a file with errors cannot be imported');
      await shot(page, 'ledger-import-errors');

      // The good file: checked, confirmed, imported.
      await page.getByRole('button', { name: '重新选择文件' }).click();
      await chooseFile(page, 'good.csv', GOOD_CSV);
      await page.getByTestId('import-check').click();
      await page.getByTestId('import-ok').waitFor();
      await page.getByTestId('import-confirm').click();
      await page.getByTestId('import-done').getByText('共 7 行：新增 7 条').waitFor();
      await shot(page, 'ledger-import-done');
      await page.getByTestId('import-finish').click();
      await page.getByTestId('ledger-count').getByText('7', { exact: true }).waitFor();

      // The same file again: refused by the server at row 1, and shown.
      await page.getByTestId('ledger-import').click();
      await chooseFile(page, 'good.csv', GOOD_CSV);
      await page.getByTestId('import-check').click();
      await page.getByTestId('import-errors').waitFor();
      const again = await page.getByTestId('import-error-table').locator('tbody tr').first().innerText();
      assert.match(again, /^1\s/);
      assert.match(again, /已于.*导入过/);
      await page.keyboard.press('Escape');
      await page.locator('.ant-modal').waitFor({ state: 'detached' });

      // Filter: 对象类型 = 商户, March 2025 → 3 of the 7.
      await page.getByTestId('filter-objectType').click();
      await page.locator('.ant-select-dropdown').getByTitle('商户', { exact: true }).click();
      await page.keyboard.press('Escape');
      await page.waitForURL(/f\.objectType=%E5%95%86%E6%88%B7/);
      await page.getByTestId('ledger-count').getByText('4', { exact: true }).waitFor();
      const range = page.getByTestId('filter-date');
      await range.locator('input').first().click();
      await range.locator('input').first().fill('2025-03-01');
      await range.locator('input').first().press('Enter');
      await range.locator('input').nth(1).fill('2025-03-31');
      await range.locator('input').nth(1).press('Enter');
      await page.waitForURL(/from=2025-03-01&to=2025-03-31|to=2025-03-31.*from=2025-03-01/);
      await page.getByTestId('ledger-count').getByText('3', { exact: true }).waitFor();
      await page.getByTestId('ledger-summary').getByText('3', { exact: true }).first().waitFor();
      const table = page.getByTestId('ledger-table');
      assert.equal(await table.locator('tbody tr.ant-table-row').count(), 3);
      assert.match(await page.getByTestId('ledger-summary').innerText(), /发现隐患数合计\s*3\s*处/);
      await page.mouse.move(0, 0);
      await shot(page, 'ledger-list');

      // Export what the list shows: the 3 rows, as CSV with the import headers.
      await page.getByTestId('ledger-export').click();
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
      const csv = readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/);
      assert.equal(csv.length, 4, csv.join('\n'));
      assert.match(csv[0]!, /^排查日期,网格编码,对象类型/);

      // Open a record; edit it — first with 已整改数 above 发现隐患数 (the server's message under the field), then right.
      await table.locator('tr', { hasText: '金色新城便利店' }).click();
      const detail = page.getByTestId('record-detail');
      await detail.getByText('金色新城网格（DH-WG014）').waitFor();
      await detail.getByText('春季消防').waitFor();
      await shot(page, 'ledger-detail');
      await page.getByTestId('record-edit').click();
      const form = page.getByTestId('record-form');
      await form.locator('#objectName').fill('金色新城便利店（东门）');
      await form.locator('#rectified').fill('5');
      await page.getByTestId('record-save').click();
      await page.getByTestId('field-rectified').getByText('“已整改数”(5)不能多于“发现隐患数”(1)').waitFor();
      assert.equal(await form.locator('#objectName').inputValue(), '金色新城便利店（东门）', 'what the user typed stays');
      await shot(page, 'ledger-form');
      await form.locator('#hazards').fill('6');
      await page.getByTestId('record-save').click();
      await form.waitFor({ state: 'detached' });
      await detail.getByText('金色新城便利店（东门）').waitFor();
      await detail.getByText('6 处', { exact: true }).waitFor();
      await table.getByText('金色新城便利店（东门）').waitFor();
      await page.getByTestId('ledger-summary').getByText(/发现隐患数合计\s*8\s*处/).waitFor();
      await shot(page, 'ledger-after-edit');
    } finally {
      await context.close();
    }
  });

  test('网格员 records an inspection on a 360×740 phone', async () => {
    const { context, page } = await open({ width: 360, height: 740 });
    try {
      await signIn(page, 'grid');
      await page.waitForURL(/\/m\/inspection/);
      await page.getByTestId('phone-inspection').waitFor();
      // The only grid in scope is chosen, the inspector is the user, the date today.
      await page.getByTestId('m-grid').getByText('金色新城网格').waitFor();
      assert.equal(await page.getByTestId('m-inspector').inputValue(), '网格员');
      assert.match(await page.getByTestId('m-date').locator('input').inputValue(), /^\d{4}-\d{2}-\d{2}$/);

      await page.getByTestId('m-type-商户').click();
      await page.getByTestId('m-object-name').fill('金色新城东门早餐店');
      const plusHazards = page.getByTestId('m-hazards').getByRole('button', { name: '发现隐患数加一' });
      const plusRectified = page.getByTestId('m-rectified').getByRole('button', { name: '已整改数加一' });
      assert.ok(await plusRectified.isDisabled(), 'nothing to rectify before a hazard is found');
      await plusHazards.click();
      await plusHazards.click();
      await plusRectified.click();
      await plusRectified.click();
      assert.ok(await plusRectified.isDisabled(), '已整改数 stops at 发现隐患数');
      // Fewer hazards than rectified: the page says so before saving.
      await page.getByTestId('m-hazards').getByRole('button', { name: '发现隐患数减一' }).click();
      await page.getByText('已整改数不能多于发现隐患数').waitFor();
      await page.getByTestId('m-rectified').getByRole('button', { name: '已整改数减一' }).click();
      await page.getByText('已整改数不能多于发现隐患数').waitFor({ state: 'detached' });
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 360, `page is ${width}px wide on a 360px screen`);
      await shot(page, 'phone-inspection');

      await page.getByTestId('m-save').click();
      await page.getByTestId('m-saved').getByText('金色新城东门早餐店').waitFor();
      await page.getByTestId('m-today').getByText('今天本网格已登记 1 条').waitFor();
      // 保存并继续: grid and inspector stay, the object is cleared for the next one.
      assert.equal(await page.getByTestId('m-object-name').inputValue(), '');
      assert.equal(await page.getByTestId('m-inspector').inputValue(), '网格员');
      await page.getByTestId('m-grid').getByText('金色新城网格').waitFor();
      await shot(page, 'phone-inspection-saved');

      const api = new Client(server.base);
      await api.login('grid', DEMO_PASSWORD);
      const list = await api.get('/api/ledgers/inspections/records?q=' + encodeURIComponent('东门早餐店'));
      assert.equal(list.status, 200);
      assert.equal(list.body.total, 1);
      assert.deepEqual(
        { grid: list.body.items[0].grid, objectType: list.body.items[0].objectType, inspector: list.body.items[0].inspector, hazards: list.body.items[0].hazards, rectified: list.body.items[0].rectified },
        { grid: 'DH-WG014', objectType: '商户', inspector: '网格员', hazards: 1, rectified: 1 },
      );

      // The menu reaches the page, and the grid worker sees only their two ledgers.
      await page.getByTestId('menu-toggle').click();
      const drawer = page.locator('.ant-drawer');
      await drawer.getByText('手机排查登记').waitFor();
      await drawer.getByText('承办事项').waitFor();
      assert.equal(await drawer.getByText('党员', { exact: true }).count(), 0);
      await shot(page, 'phone-menu-grid');
    } finally {
      await context.close();
    }
  });
});
