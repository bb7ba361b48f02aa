/**
 * 组织生活 pages in Debian's Chromium against a real server on the demo street (trees and users,
 * no demo ledger records). Through the API: five members of 东湖社区第一党支部 (one 预备党员), and
 * a meetings CSV that meets every 2024 rule for every organization of 东湖社区 except the
 * branch's 主题党日 of June, plus a 党员大会 in August below quorum (not counted). In the browser
 * the clerk opens 落实情况 for 2024 as of 2025-01-31: one missed period; the cell tells what is
 * missing (required and held, the rule); 补录会议 is prefilled and, saved, the period is met. Then
 * the Q2 党员大会's record: attendance from the roster — the quorum line live (预备党员 not
 * counted), the server's refusal of a leave without reason, then saved with 应到/实到 set by the
 * server; an attachment. Then 近期应开会议 and the calendar; finally the matrix and the record on
 * a phone. Screenshots go to test-results/.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD, loadDemo } from '../../src/demo/demo.ts';
import { idCheckChar } from '../../src/domain/id-number.ts';
import type { Store } from '../../src/store/db.ts';
import { freshStore } from '../helpers/db.ts';
import { Client, startServer, type Running } from '../helpers/http.ts';
import { launchChromium, openPage, shot, signInAs } from '../helpers/browser.ts';

const AREA = 'DH-S01';
const BRANCH = 'DH-S01-DW-ZB1';
const MATRIX = `/meetings/compliance?area=${AREA}&year=2024&asOf=2025-01-31`;
// A valid PNG signature is all the server checks (by content).
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]);

function idNumber(birth: string, seq: number, male: boolean): string {
  const s = String(seq * 2 + (male ? 1 : 0)).padStart(3, '0').slice(-3);
  const body = `110105${birth.replace(/-/g, '')}${s}`;
  return body + idCheckChar(body);
}

/** A day inside a period for the CSV: mid-month, the middle month of a quarter, late December. */
function dayIn(period: string): string {
  if (/^\d{4}$/.test(period)) return `${period}-12-10`;
  const q = /^(\d{4})-Q([1-4])$/.exec(period);
  if (q) return `${q[1]}-${String(Number(q[2]) * 3 - 1).padStart(2, '0')}-10`;
  return `${period}-15`;
}

let store: Store;
let server: Running;
let browser: Browser;
const members: Record<string, number> = {};

function open(viewport = { width: 1366, height: 860 }) {
  return openPage(browser, viewport);
}

function signIn(page: Page, username: string) {
  return signInAs(page, server.base, username);
}

/** Marks one person on the attendance list. */
async function mark(page: Page, name: string, status: '出席' | '请假' | '缺席'): Promise<void> {
  await page.getByTestId(`att-status-${members[name]}`).getByText(status, { exact: true }).click();
}

describe('组织生活 pages in Chromium', () => {
  before(async () => {
    store = await freshStore('sqlite');
    await loadDemo(store, { ifEmpty: false, log: () => {}, ledgers: false });
    server = await startServer(store);
    browser = await launchChromium();

    const c = new Client(server.base);
    assert.equal((await c.login('clerk', DEMO_PASSWORD)).status, 200);
    // The branch's roster: four full members and one 预备党员 (since March 2024).
    const people: Array<[string, boolean, string | null]> = [
      ['王建国', true, '书记'],
      ['李秀英', false, '组织委员'],
      ['张伟', true, null],
      ['刘洋', true, null],
      ['陈晨', false, null],
    ];
    for (const [i, [name, male, post]] of people.entries()) {
      const probationary = name === '陈晨';
      const m = await c.post('/api/ledgers/members/records', {
        姓名: name,
        性别: male ? '男' : '女',
        公民身份号码: idNumber(`197${i}-04-1${i}`, 20 + i, male),
        所在党组织编码: BRANCH,
        人员类别: probationary ? '预备党员' : '正式党员',
        入党日期: probationary ? '2024-03-01' : '2001-07-01',
        ...(probationary ? {} : { 转正日期: '2002-07-01' }),
        ...(post ? { 党内职务: post } : {}),
      });
      assert.equal(m.status, 200, JSON.stringify(m.body));
      members[name] = m.body.id;
    }

    // Every 2024 rule of every organization of 东湖社区 met, but the branch's 主题党日 of June;
    // an extra 党员大会 in August with 4 of 10 present (below quorum: held, not counted).
    const before = await c.get(`/api/compliance?area=${AREA}&year=2024&asOf=2025-01-31`);
    assert.equal(before.status, 200, JSON.stringify(before.body));
    const lines = ['日期,党组织编码,会议类型,主题,应到人数,实到人数'];
    for (const row of before.body.rows as Array<{ org: string; cells: Array<{ meetingType: string; period: string; required: number; status: string }> }>) {
      for (const cell of row.cells) {
        if (cell.status === 'na') continue;
        if (row.org === BRANCH && cell.meetingType === '主题党日' && cell.period === '2024-06') continue;
        for (let k = 0; k < cell.required; k++) lines.push(`${dayIn(cell.period)},${row.org},${cell.meetingType},${cell.period}${cell.meetingType},,`);
      }
    }
    lines.push(`2024-08-20,${BRANCH},支部党员大会,讨论党员发展计划,10,4`);
    const fd = new FormData();
    fd.append('file', new Blob([Buffer.from(lines.join('\n'))]), 'meetings.csv');
    const imported = await c.request('POST', '/api/imports/meetings', fd);
    assert.equal(imported.status, 200, JSON.stringify(imported.body.errors?.slice(0, 3)));
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await store?.close();
  });

  test('matrix: one missed period, what is missing, 补录会议; a meeting record with attendance and quorum; due and calendar', async () => {
    const { context, page } = await open();
    try {
      await signIn(page, 'clerk');

      // The menu: 党的建设 › 组织生活 › 落实情况.
      await page.getByTestId('nav-meetings-menu').click();
      for (const item of ['compliance', 'calendar', 'due']) await page.getByTestId(`nav-meetings-${item}`).waitFor();
      await page.getByTestId('nav-ledgers-meetings').waitFor();
      await page.getByTestId('nav-meetings-compliance').click();
      await page.waitForURL(/\/meetings\/compliance/);
      await page.getByTestId('compliance-page').waitFor();

      // 2024 as of 2025-01-31, 东湖社区: six organizations, one missed period.
      await page.goto(server.base + MATRIX);
      const missed = page.getByTestId(`cell-${BRANCH}-主题党日-2024-06`);
      await missed.waitFor();
      assert.equal(await missed.getAttribute('data-status'), 'missed');
      assert.equal(await page.getByTestId('cmp-orgs').innerText(), '6个');
      assert.equal(await page.getByTestId('cmp-missed').innerText(), '1期');
      assert.equal(await page.getByTestId('cmp-orgs-missed').innerText(), '1个');
      const line = page.getByTestId(`line-${BRANCH}-主题党日`);
      assert.deepEqual(
        await line.locator('button').evaluateAll((bs) => bs.map((b) => b.getAttribute('data-status'))),
        ['met', 'met', 'met', 'met', 'met', 'missed', 'met', 'met', 'met', 'met', 'met', 'met'],
      );
      // No 支委会 (no committee): not drawn, said under the name.
      assert.equal(await page.getByTestId(`line-${BRANCH}-支部委员会`).count(), 0);
      // The August 党员大会 below quorum: Q3 met by the other one, the extra one not counted (※).
      const q3 = page.getByTestId(`cell-${BRANCH}-支部党员大会-2024-Q3`);
      assert.equal(await q3.getAttribute('data-status'), 'met');
      assert.equal(await q3.locator('.cmp-note').count(), 1);
      // The findings tab names it, with the rule.
      assert.match(await page.getByTestId('cmp-findings-tab').innerText(), /问题清单\s*1/);
      await page.mouse.move(0, 0);
      await shot(page, 'compliance-matrix');

      // The missed cell: required against held, the rule and its source.
      await missed.click();
      const drawer = page.getByTestId('cell-drawer');
      await drawer.getByTestId('cell-missing').waitFor();
      assert.match(await drawer.getByTestId('cell-missing').innerText(), /2024年6月缺少1次主题党日/);
      assert.match(await drawer.getByTestId('cell-required-held').innerText(), /应召开\s*1\s*次，实际计入\s*0\s*次/);
      assert.match(await drawer.getByTestId('cell-rule').innerText(), /《中国共产党支部工作条例（试行）》\(2018\)第十二条：每月相对固定1天开展主题党日/);
      await drawer.getByText('本期没有召开该类会议的记录').waitFor();
      await shot(page, 'compliance-missed');

      // 补录会议: the form comes prefilled with the branch, the type and a day in June.
      await drawer.getByTestId('cell-record').click();
      const form = page.getByTestId('meeting-create');
      await form.waitFor();
      assert.equal(await form.getByTestId('meeting-create-date').locator('input').inputValue(), '2024-06-15');
      assert.match(await form.getByTestId('meeting-create-org').innerText(), /东湖社区第一党支部（DH-S01-DW-ZB1）/);
      assert.match(await form.getByTestId('meeting-create-type').innerText(), /主题党日/);
      await form.getByTestId('meeting-create-topic').locator('input').fill('“七一”重温入党誓词');
      await page.getByTestId('meeting-create-save').click();
      await page.waitForURL(/\/meetings\/\d+\?area=DH-S01$/);
      await page.getByTestId('meeting-topic').getByText('“七一”重温入党誓词').waitFor();
      assert.match(await page.getByTestId('meeting-header').innerText(), /主题党日[\s\S]*2024-06-15/);

      // Back to the matrix: the period is met now, nothing missed.
      await page.goto(server.base + MATRIX);
      await page.getByTestId(`cell-${BRANCH}-主题党日-2024-06`).and(page.locator('[data-status="met"]')).waitFor();
      assert.equal(await page.getByTestId('cmp-missed').innerText(), '0期');

      // The Q2 党员大会 → its record.
      await page.getByTestId(`cell-${BRANCH}-支部党员大会-2024-Q2`).click();
      const meetingLink = page.getByTestId('cell-drawer').locator('[data-testid^="cell-meeting-"]');
      await meetingLink.first().waitFor();
      assert.equal(await meetingLink.count(), 1);
      await meetingLink.click();
      await page.waitForURL(/\/meetings\/\d+\?area=DH-S01$/);
      await page.getByTestId('attendance').waitFor();
      // The roster on 2024-05-10: five people, 陈晨 a 预备党员 who does not count for the quorum.
      assert.equal(await page.locator('[data-testid^="att-status-"]').count(), 5);
      await page.getByTestId(`att-${members['陈晨']}`).getByText('预备党员').waitFor();
      await page.getByTestId('probationary-note').getByText(/预备党员没有表决权/).waitFor();
      await page.getByTestId('quorum-line').getByText(/尚未逐人登记考勤/).waitFor();

      await page.getByTestId('meeting-host').locator('input').fill('王建国');
      await page.getByTestId('meeting-recorder').locator('input').fill('李秀英');
      await page.keyboard.press('Escape');
      await page.getByTestId('agenda-add').click();
      await page.getByTestId('agenda-title-0').fill('学习习近平总书记关于党的建设的重要思想');
      assert.ok(await page.getByTestId('agenda-0').locator('.mtg-agenda-first input').isChecked(), 'the first item added is the 第一议题');
      await page.getByTestId('agenda-add').click();
      await page.getByTestId('agenda-title-1').fill('讨论2024年下半年党员发展计划');

      // Two of four full members present (and the 预备党员): not more than half.
      await mark(page, '王建国', '出席');
      await mark(page, '李秀英', '出席');
      await mark(page, '陈晨', '出席');
      await mark(page, '张伟', '请假');
      await mark(page, '刘洋', '缺席');
      await page.getByTestId(`att-reason-${members['刘洋']}`).fill('外出务工');
      const quorum = page.getByTestId('quorum-line');
      assert.match(await quorum.innerText(), /应到正式党员\s*4\s*人，实到\s*2\s*人，未过半数，本次会议不计入落实情况/);
      // A leave without its reason: the server refuses, and says why.
      await page.getByTestId('meeting-save').click();
      await page.getByTestId('meeting-problem').getByText('张伟请假，请填写原因').waitFor();

      // 刘洋 came after all; 张伟's reason given: three of four, more than half.
      await mark(page, '刘洋', '出席');
      await page.getByTestId(`att-reason-${members['张伟']}`).fill('因病请假');
      assert.match(await quorum.innerText(), /应到正式党员\s*4\s*人，实到\s*3\s*人，到会人数过半/);
      await page.getByTestId('meeting-save').click();
      await page.getByText('已保存会议记录').waitFor();
      await page.getByTestId('meeting-problem').waitFor({ state: 'detached' });
      // The server set 应到/实到 on full members: 4 and 3.
      assert.equal(await page.getByTestId('meeting-counts').innerText(), '4 / 3 人');
      await page.getByTestId('meeting-counted').getByText('计入落实情况').waitFor();
      assert.match(await quorum.innerText(), /到会人数过半/);

      // An attachment: uploaded, listed, downloadable.
      await page.getByTestId('attachments').locator('input[type=file]').setInputFiles({ name: '签到表.png', mimeType: 'image/png', buffer: PNG });
      const attachment = page.getByTestId('attachment-list').getByText('签到表.png');
      await attachment.waitFor();
      const href = await page.getByTestId('attachment-list').locator('a[download="签到表.png"]').first().getAttribute('href');
      assert.match(href ?? '', /^\/api\/meetings\/\d+\/attachments\/\d+$/);
      // The toasts would cover the header: hidden for the picture, not waited out.
      await page.addStyleTag({ content: '.ant-message { display: none !important; }' });
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.mouse.move(0, 0);
      await shot(page, 'meeting-record');

      // What was saved is what the page shows after a reload.
      await page.reload();
      await page.getByTestId('attendance').waitFor();
      assert.equal(await page.getByTestId('meeting-host').locator('input').inputValue(), '王建国');
      assert.equal(await page.getByTestId('agenda-title-1').inputValue(), '讨论2024年下半年党员发展计划');
      assert.equal(await page.getByTestId(`att-reason-${members['张伟']}`).inputValue(), '因病请假');

      // 近期应开会议 as of 2024-12-10: December's 主题党日 (planned for later in the month) is still to hold,
      // then the coming periods of 2025, per organization.
      await page.getByTestId('nav-meetings-due').click();
      await page.waitForURL(/\/meetings\/due/);
      await page.goto(`${server.base}/meetings/due?area=${AREA}&asOf=2024-12-10`);
      const due = page.getByTestId(`due-org-${BRANCH}`);
      await due.waitFor();
      assert.equal(await page.locator('[data-testid^="due-org-"]').count(), 6);
      const rows = (await due.locator('.due-row').allInnerTexts()).map((r) => r.replace(/\s+/g, ' '));
      assert.match(rows[0]!, /主题党日 2024年12月 已开 0 \/ 应开 1 次 截止 2024-12-31 还剩21天/);
      assert.ok(rows.some((r) => /主题党日 2025年1月 已开 0 \/ 应开 1 次 截止 2025-01-31 1月1日起/.test(r)), rows.join('\n'));
      assert.ok(rows.some((r) => /组织生活会 2025年/.test(r)), rows.join('\n'));
      await shot(page, 'meetings-due');

      // The calendar of May 2024: meetings coloured by type; one opens its record.
      await page.goto(`${server.base}/meetings/calendar?area=${AREA}&month=2024-05`);
      await page.getByTestId('cal-count').getByText(/本月 \d+ 次会议/).waitFor();
      const item = page.locator('[data-testid^="cal-item-"]', { hasText: '党员大会 · 东湖社区第一党支部' });
      await item.waitFor();
      await page.mouse.move(0, 0);
      await shot(page, 'meetings-calendar');
      await item.click();
      await page.waitForURL(/\/meetings\/\d+/);
      await page.getByTestId('meeting-counts').getByText('4 / 3 人').waitFor();
    } catch (e) {
      await shot(page, 'compliance-failure');
      throw e;
    } finally {
      await context.close();
    }
  });

  test('the matrix and the meeting record on a phone', async () => {
    const { context, page } = await open({ width: 360, height: 780 });
    try {
      await signIn(page, 'clerk');
      await page.goto(server.base + MATRIX);
      await page.getByTestId(`cell-${BRANCH}-主题党日-2024-06`).waitFor();
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 360, `page is ${width}px wide on a 360px screen`);
      // The matrix scrolls sideways inside its box.
      const box = await page.getByTestId('cmp-matrix').evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
      assert.ok(box.scroll > box.client, JSON.stringify(box));
      await page.getByTestId('cmp-matrix').scrollIntoViewIfNeeded();
      await shot(page, 'compliance-phone');

      await page.getByTestId(`cell-${BRANCH}-支部党员大会-2024-Q2`).click();
      await page.getByTestId('cell-drawer').locator('[data-testid^="cell-meeting-"]').click();
      await page.getByTestId('attendance').waitFor();
      const w2 = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(w2 <= 360, `the record is ${w2}px wide on a 360px screen`);
      await shot(page, 'meeting-record-phone');
      await page.getByTestId('attendance').scrollIntoViewIfNeeded();
      await shot(page, 'meeting-record-phone-attendance');

      // 记录会议 from 近期应开会议: the form, prefilled, fits the phone.
      await page.goto(`${server.base}/meetings/due?area=${AREA}&asOf=2024-12-10`);
      await page.getByTestId(`due-record-${BRANCH}-主题党日-2025-01`).click();
      const form = page.getByTestId('meeting-create');
      await form.waitFor();
      assert.equal(await form.getByTestId('meeting-create-date').locator('input').inputValue(), '2025-01-01');
      assert.match(await form.getByTestId('meeting-create-org').innerText(), /东湖社区第一党支部/);
      await shot(page, 'meeting-form-phone');
    } finally {
      await context.close();
    }
  });
});
