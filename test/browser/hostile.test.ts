/**
 * HTML and script stored in every kind of text field are rendered inert (issue 8, item 3 point 7):
 * an area, an organization, a user's name, ledger records (名称, 事项内容), a meeting's topic and
 * minutes hold <img onerror>, <script>, <svg onload>, javascript: links and template syntax; the
 * list, detail, tree, user, meeting, dashboard and report pages show them as text. A payload that
 * ran would call the exposed function or set window.__pwned; an injected element or inline
 * handler would show up in the DOM or as a CSP violation; none may happen, and no dialog opens.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD, loadDemo } from '../../src/demo/demo.ts';
import type { Store } from '../../src/store/db.ts';
import { freshStore } from '../helpers/db.ts';
import { Client, startServer, type Running } from '../helpers/http.ts';
import { launchChromium, openPage, shot, signInAs } from '../helpers/browser.ts';

const IMG = '<img src=x onerror="window.__pwned=1;__hostile(1)">';
const SCRIPT = '<script>window.__pwned=2;__hostile(2)</script>';
const SVG = '"><svg onload=__hostile(3)>';
const LINK = 'javascript:__hostile(4)';
const TEMPLATE = "{{constructor.constructor('__hostile(5)')()}}";
const ANCHOR = '<a href="javascript:__hostile(6)">点我</a>';

let store: Store;
let server: Running;
let browser: Browser;
let meetingId = 0;

describe('hostile text in Chromium', () => {
  before(async () => {
    store = await freshStore('sqlite');
    await loadDemo(store, { ifEmpty: false, log: () => {}, ledgers: false });
    server = await startServer(store);
    browser = await launchChromium();
    const c = new Client(server.base);
    assert.equal((await c.login('admin', DEMO_PASSWORD)).status, 200);
    const areas = (await c.get('/api/areas')).body.items as Array<{ code: string; parentCode: string | null; kind: string }>;
    const root = areas.find((a) => a.parentCode === null)!;
    const orgs = (await c.get('/api/orgs')).body.items as Array<{ code: string; kind: string; parentCode: string | null }>;
    const top = orgs.find((o) => o.parentCode === null)!;
    const ok = (r: { status: number; body: unknown }) => assert.equal(r.status, 200, JSON.stringify(r.body));
    ok(await c.post('/api/areas', { code: 'XSS-SQ', name: `${IMG}社区`, kind: '社区', parentCode: root.code }));
    ok(await c.post('/api/orgs', { code: 'XSS-ZB', name: `${SCRIPT}党支部`, kind: '党支部', parentCode: top.code, areaCode: 'XSS-SQ' }));
    ok(await c.post('/api/users', { username: 'xss_user', displayName: `${SVG}张三`, role: 'clerk', areaCode: 'XSS-SQ' }));
    for (const [i, name] of [IMG, SCRIPT, SVG, LINK, TEMPLATE, ANCHOR].entries()) {
      ok(await c.post('/api/ledgers/trainings/records?area=XSS-SQ', { 日期: `2024-05-0${i + 1}`, 名称: `${name}培训`, 类型: '其他', 形式: '线下', 参训人数: i + 1 }));
    }
    ok(await c.post('/api/ledgers/services/records', { 事项编号: 'XSS-1', 上报日期: '2024-05-06', 区域编码: 'XSS-SQ', 来源: '热线', 类别: SVG, 事项内容: `${IMG}${SCRIPT}${ANCHOR}`, 状态: '待办' }));
    const meeting = await c.post('/api/ledgers/meetings/records', { 日期: '2024-05-06', 党组织编码: 'XSS-ZB', 会议类型: '主题党日', 主题: `${IMG}主题党日` });
    ok(meeting);
    meetingId = meeting.body.id;
    ok(await c.put(`/api/meetings/${meetingId}/record`, { host: '李四', minutes: `${SCRIPT}${ANCHOR}纪要`, agenda: [{ title: `${SVG}议题`, firstAgendaItem: true }] }));
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await store?.close();
  });

  test('list, detail, trees, users, meeting, dashboard and report pages show the payloads as text; nothing runs', async () => {
    const { context, page } = await openPage(browser);
    const calls: unknown[] = [];
    const dialogs: string[] = [];
    await page.exposeFunction('__hostile', (n: unknown) => calls.push(n));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.addInitScript(() => {
      const w = window as unknown as { __csp: string[] };
      w.__csp = [];
      document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.sourceFile}:${e.lineNumber}`));
    });
    await signInAs(page, server.base, 'admin');

    const check = async (where: string) => {
      await page.waitForTimeout(300); // let an injected handler fire if there were one
      const state = await page.evaluate(() => {
        const w = window as unknown as { __pwned?: unknown; __csp: string[] };
        return {
          pwned: w.__pwned ?? null,
          csp: w.__csp,
          injected: document.querySelectorAll('img[src="x"], svg[onload], script:not([src]), [onerror], [onload]').length,
          jsLinks: [...document.querySelectorAll('a[href]')].filter((a) => /^\s*javascript:/i.test(a.getAttribute('href') ?? '')).length,
        };
      });
      assert.deepEqual(calls, [], `${where}: a payload ran`);
      assert.deepEqual(dialogs, [], `${where}: a dialog opened`);
      assert.equal(state.pwned, null, where);
      assert.deepEqual(state.csp, [], `${where}: CSP violations (an injected inline script or handler)`);
      assert.equal(state.injected, 0, `${where}: injected elements`);
      assert.equal(state.jsLinks, 0, `${where}: javascript: links`);
    };
    const shows = async (page: Page, text: string) => page.getByText(text, { exact: false }).first().waitFor();

    await page.goto(`${server.base}/ledgers/trainings?area=XSS-SQ`);
    await shows(page, 'onerror="window.__pwned=1;__hostile(1)">培训');
    await shows(page, 'javascript:__hostile(4)培训');
    await check('trainings list');
    await page.getByText('<script>window.__pwned=2;__hostile(2)</script>培训').first().click();
    await page.waitForTimeout(500);
    await check('trainings record detail');
    await shot(page, 'hostile-trainings');

    await page.goto(`${server.base}/ledgers/services`);
    await shows(page, 'XSS-1');
    await page.getByText('XSS-1').first().click();
    await shows(page, '<a href="javascript:__hostile(6)">点我</a>');
    await check('services detail');

    await page.goto(`${server.base}/trees`);
    await page.waitForLoadState('networkidle');
    await check('trees');
    await page.goto(`${server.base}/users`);
    await shows(page, '"><svg onload=__hostile(3)>张三');
    await check('users');

    await page.goto(`${server.base}/meetings/${meetingId}`);
    await shows(page, '纪要');
    await check('meeting record');
    await shot(page, 'hostile-meeting');

    for (const path of ['/dashboard?area=XSS-SQ&year=2024', '/reports/annual?area=XSS-SQ&year=2024', '/meetings/compliance?area=XSS-SQ&year=2024', '/members/structure?area=XSS-SQ']) {
      await page.goto(server.base + path);
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(500);
      await check(path);
    }
    await shot(page, 'hostile-last');
    await context.close();
  });
});
