/**
 * The auditor's 导出记录 page in Chromium on the demo street: a masked export and a granted
 * unmasked one by the clerk show up with user, ledger, filters, rows, 已脱敏/未脱敏 and checksum;
 * the page is reached from the menu. Screenshot: test-results/export-log.png.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { DEMO_PASSWORD, loadDemo } from '../../src/demo/demo.ts';
import { idGender } from '../../src/domain/id-number.ts';
import type { Store } from '../../src/store/db.ts';
import { launchChromium, openPage, shot, signInAs } from '../helpers/browser.ts';
import { testIdNumber, testPhone } from '../helpers/cli.ts';
import { freshStore } from '../helpers/db.ts';
import { Client, startServer, type Running } from '../helpers/http.ts';

let store: Store;
let server: Running;
let browser: Browser;

describe('导出记录 in Chromium', () => {
  before(async () => {
    store = await freshStore('sqlite');
    await loadDemo(store, { ifEmpty: false, log: () => {}, ledgers: false });
    server = await startServer(store);
    const clerk = new Client(server.base);
    const sec = new Client(server.base);
    assert.equal((await clerk.login('clerk', DEMO_PASSWORD)).status, 200);
    assert.equal((await sec.login('secadmin', DEMO_PASSWORD)).status, 200);
    for (let i = 0; i < 3; i++) {
      const id = testIdNumber(500 + i);
      const r = await clerk.post('/api/ledgers/members/records', { 姓名: `页面测试${i}`, 性别: idGender(id), 公民身份号码: id, 手机号码: testPhone(900 + i), 所在党组织编码: 'DH-S02-DW-ZB1', 人员类别: '正式党员', 入党日期: '2015-07-01' });
      assert.equal(r.status, 200, JSON.stringify(r.body));
    }
    assert.equal((await clerk.get('/api/ledgers/members/export?format=xlsx&area=DH-S02')).status, 200);
    const me = (await clerk.get('/api/auth/me')).body.user.id as number;
    assert.equal((await sec.put(`/api/users/${me}/export-grant`, { mayExportUnmasked: true })).status, 200);
    assert.equal((await clerk.get('/api/ledgers/members/export?format=csv&unmasked=1')).status, 200);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await store?.close();
  });

  test('the auditor sees both exports, the unmasked one marked', async () => {
    const { context, page } = await openPage(browser);
    try {
      await signInAs(page, server.base, 'auditor');
      await page.getByRole('menuitem', { name: '导出记录' }).click();
      const table = page.getByTestId('export-log-table');
      await table.getByText('未脱敏').waitFor();
      const text = await table.innerText();
      assert.match(text, /clerk/);
      assert.match(text, /党员/);
      assert.match(text, /已脱敏/);
      assert.match(text, /区域=DH-S02/);
      assert.match(text, /XLSX/);
      await page.getByText('共 2 条').waitFor();
      await shot(page, 'export-log');
    } finally {
      await context.close();
    }
  });
});
