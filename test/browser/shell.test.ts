/**
 * The web app in Debian's Chromium against a real server on the demo street: sign-in (and its
 * Chinese error), the area picker scoping the trees, sign-out, the auditor's log, and the phone
 * layout. Screenshots go to test-results/ for people to look at.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD, loadDemo } from '../../src/demo/demo.ts';
import type { Store } from '../../src/store/db.ts';
import { freshStore } from '../helpers/db.ts';
import { Client, startServer, type Running } from '../helpers/http.ts';
import { launchChromium, openPage, shot, signInAs } from '../helpers/browser.ts';

const LONG_NAME = '东湖社区滨江国际花园二期暨湖畔春晓东区商住混合型高层住宅小区（原东湖纺织厂职工宿舍改造片区）';

let store: Store;
let server: Running;
let browser: Browser;

function open(viewport = { width: 1366, height: 860 }) {
  return openPage(browser, viewport);
}

function signIn(page: Page, username: string, password = DEMO_PASSWORD) {
  return signInAs(page, server.base, username, password, false);
}

describe('web app in Chromium', () => {
  before(async () => {
    store = await freshStore('sqlite');
    await loadDemo(store, { ifEmpty: false, log: () => {}, ledgers: false });
    server = await startServer(store);
    // A very long name, to see that it does not break the tree or the phone layout.
    const api = new Client(server.base);
    assert.equal((await api.login('clerk', DEMO_PASSWORD)).status, 200);
    const made = await api.post('/api/areas', { code: 'DH-S01-X99', name: LONG_NAME, kind: '小区', parentCode: 'DH-S01' });
    assert.equal(made.status, 200, JSON.stringify(made.body));
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await store?.close();
  });

  test('a wrong password is refused with a Chinese message', async () => {
    const { context, page } = await open();
    try {
      await signIn(page, 'leader', 'wrong-password');
      const error = page.getByTestId('login-error');
      await error.waitFor();
      assert.match(await error.innerText(), /用户名或密码错误，再失败\d次账号将被锁定/);
      await shot(page, 'login-wrong-password');
    } finally {
      await context.close();
    }
  });

  test('clerk picks 东湖社区 in the area picker, sees its children, signs out', async () => {
    const { context, page } = await open();
    try {
      await signIn(page, 'clerk');
      await page.getByTestId('user-menu').waitFor();
      await page.waitForURL(/\/trees/);
      // The whole street first: the scope root and its communities.
      await page.getByTestId('area-tree').getByText('东湖街道', { exact: true }).waitFor();

      await page.getByTestId('area-picker').click();
      await page.keyboard.type('东湖社区');
      await page.locator('.ant-select-tree-title').getByText('东湖社区', { exact: true }).click();
      await page.waitForURL(/[?&]area=DH-S01(&|$)/);

      const tree = page.getByTestId('area-tree');
      for (const child of ['金色新城', '东湖社区综合网格']) await tree.getByText(child, { exact: true }).waitFor();
      assert.equal(await tree.getByText('柳树屯村', { exact: true }).count(), 0, 'areas outside 东湖社区 are not shown');
      await page.getByTestId('area-detail').getByText('DH-S01', { exact: true }).waitFor();
      await shot(page, 'trees-dh-s01');

      await page.getByRole('tab', { name: '党组织树' }).click();
      await page.getByTestId('org-tree').getByText('中共东湖社区委员会', { exact: true }).waitFor();
      await shot(page, 'orgs-dh-s01');

      await page.getByTestId('user-menu').click();
      await page.getByRole('menuitem', { name: '退出' }).click();
      await page.getByTestId('login-submit').waitFor();
      const me = await page.evaluate(async () => (await fetch('/api/auth/me')).status);
      assert.equal(me, 401, 'the session ended');
    } finally {
      await context.close();
    }
  });

  test('auditor opens 审计日志 and sees sign-in entries', async () => {
    const { context, page } = await open();
    try {
      await signIn(page, 'auditor');
      await page.waitForURL(/\/audit/);
      const table = page.getByTestId('audit-table');
      await table.locator('.ant-tag', { hasText: /^登录$/ }).first().waitFor();
      await table.locator('.ant-tag', { hasText: /^登录失败$/ }).first().waitFor();
      // An entry with before/after opens to its readable diff.
      await table.locator('tr', { hasText: 'DH-S01-X99' }).first().click();
      await page.getByTestId('audit-diff').getByText(LONG_NAME).waitFor();
      await shot(page, 'audit-log');
    } finally {
      await context.close();
    }
  });

  test('phone-sized screen: menu in a drawer, nothing wider than the screen', async () => {
    const { context, page } = await open({ width: 360, height: 740 });
    try {
      await signIn(page, 'clerk');
      await page.getByTestId('menu-toggle').waitFor();
      await page.goto(server.base + '/trees?area=DH-S01');
      const tree = page.getByTestId('area-tree');
      await tree.getByText('金色新城', { exact: true }).waitFor();
      await tree.getByText(LONG_NAME).waitFor();
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 360, `page is ${width}px wide on a 360px screen`);
      await shot(page, 'phone-trees');

      await page.getByTestId('menu-toggle').click();
      await page.locator('.ant-drawer').getByText('区域与组织').waitFor();
      await shot(page, 'phone-menu');
    } finally {
      await context.close();
    }
  });
});
