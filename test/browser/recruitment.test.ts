/**
 * 发展党员 pages in Debian's Chromium against a real server on the demo street (trees and users,
 * no demo ledger records). Through the API: three full members of 东湖社区第一党支部 and a person who
 * applied 14 months ago, then talk, activist and mentors; two more applicants whose talk is overdue
 * or due soon. In the browser the clerk goes from the 发展党员 ledger to the person's timeline,
 * records 确定发展对象 less than a year after 确定积极分子 — refused live with its reason and 第十三条,
 * and refused again by the server on save — then on a valid date, and sees the person advance; then
 * the board and the reminders; finally the timeline on a phone. Screenshots go to test-results/.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page, Route } from 'playwright-core';
import { DEMO_PASSWORD, loadDemo } from '../../src/demo/demo.ts';
import { idCheckChar } from '../../src/domain/id-number.ts';
import { addDays, addMonths, todayInShanghai } from '../../src/domain/workdays.ts';
import type { Store } from '../../src/store/db.ts';
import { freshStore } from '../helpers/db.ts';
import { Client, startServer, type Running } from '../helpers/http.ts';
import { launchChromium, openPage, shot, signInAs } from '../helpers/browser.ts';

const BRANCH = 'DH-S01-DW-ZB1';

function idNumber(birth: string, seq: number, male: boolean): string {
  const s = String(seq * 2 + (male ? 1 : 0)).padStart(3, '0').slice(-3);
  const body = `110105${birth.replace(/-/g, '')}${s}`;
  return body + idCheckChar(body);
}

let store: Store;
let server: Running;
let browser: Browser;
const today = todayInShanghai();
const applied = addMonths(today, -14);
const activist = addDays(applied, 20);
const tooEarly = addMonths(activist, 6);
const onTime = addMonths(activist, 12);
let person = 0;
let soon = 0;
let late = 0;

function open(viewport = { width: 1366, height: 860 }) {
  return openPage(browser, viewport);
}

function signIn(page: Page, username: string) {
  return signInAs(page, server.base, username);
}

/** Types a date into the step form's date picker and commits it (the picker closes on Enter). */
async function setDate(page: Page, date: string): Promise<void> {
  const input = page.getByTestId('step-form').locator('.step-form-date input');
  await input.click();
  await page.locator('.ant-picker-dropdown:visible').waitFor();
  await input.fill(date);
  await input.press('Enter');
  await page.locator('.ant-picker-dropdown:visible').waitFor({ state: 'detached' });
  assert.equal(await input.inputValue(), date);
}

describe('发展党员 pages in Chromium', () => {
  before(async () => {
    store = await freshStore('sqlite');
    await loadDemo(store, { ifEmpty: false, log: () => {}, ledgers: false });
    server = await startServer(store);
    browser = await launchChromium();

    const c = new Client(server.base);
    assert.equal((await c.login('clerk', DEMO_PASSWORD)).status, 200);
    const members: number[] = [];
    for (const [i, name] of ['王建国', '李秀英', '张伟'].entries()) {
      const m = await c.post('/api/ledgers/members/records', {
        姓名: name,
        性别: i === 1 ? '女' : '男',
        公民身份号码: idNumber(`1970-03-0${i + 1}`, 10 + i, i !== 1),
        所在党组织编码: BRANCH,
        人员类别: '正式党员',
        入党日期: '1995-07-01',
        转正日期: '1996-07-01',
      });
      assert.equal(m.status, 200, JSON.stringify(m.body));
      members.push(m.body.id);
    }
    const newApplicant = async (name: string, on: string, seq: number) => {
      const a = await c.post('/api/ledgers/applicants/records', { 姓名: name, 性别: '女', 公民身份号码: idNumber('1998-06-15', seq, false), 所在党组织编码: BRANCH, 申请入党日期: on });
      assert.equal(a.status, 200, JSON.stringify(a.body));
      return a.body.id as number;
    };
    person = await newApplicant('陈晨', applied, 30);
    const step = async (code: string, date: string, data?: unknown) => {
      const r = await c.post(`/api/recruitment/${person}/steps`, { code, date, ...(data ? { data } : {}) });
      assert.equal(r.status, 200, `${code}: ${JSON.stringify(r.body)}`);
    };
    // 递交入党申请书 is the ledger record's 申请入党日期; the steps after it are recorded one by one.
    await step('talk', addDays(applied, 7));
    await step('activist', activist);
    await step('mentors', addDays(activist, 5), { memberIds: [members[0], members[1]] });
    // Reminders: one talk overdue, one due within the month.
    late = await newApplicant('刘芳', addMonths(today, -3), 31);
    soon = await newApplicant('孙丽', addDays(today, -20), 32);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await store?.close();
  });

  test('clerk records 确定发展对象: too early is refused with 第十三条 (live and on save), on time it advances; board and reminders', async () => {
    const { context, page } = await open();
    try {
      await signIn(page, 'clerk');

      // From the 发展党员 ledger (menu 党的建设 › 发展党员) to the person's timeline.
      await page.getByTestId('nav-recruitment-menu').click();
      await page.getByTestId('nav-ledgers-applicants').click();
      await page.waitForURL(/\/ledgers\/applicants/);
      await page.getByTestId('ledger-table').locator('tr', { hasText: '陈晨' }).click();
      await page.getByTestId('record-timeline').click();
      await page.waitForURL(new RegExp(`/recruitment/${person}$`));

      await page.getByTestId('timeline-name').getByText('陈晨').waitFor();
      assert.equal(await page.getByTestId('timeline-stage').innerText(), '入党积极分子');
      await page.getByTestId('timeline-org').getByText('东湖社区第一党支部').waitFor();
      await page.getByTestId('tl-mentors').getByText('培养联系人：王建国、李秀英').waitFor();
      // 申请 is the ledger's date (导入); 谈话, 积极分子, 联系人 were recorded.
      // The application is the ledger record itself: shown as recorded, not as imported history.
      assert.equal(await page.getByTestId('tl-apply').locator('.rec-imported').count(), 0);
      assert.equal(await page.getByTestId('tl-activist').locator('.rec-imported').count(), 0);
      await page.getByTestId('due-candidate').getByText(onTime).waitFor();

      // 记录环节 → 确定发展对象, six months after 确定积极分子: the live check refuses it, with the article.
      await page.getByTestId('record-step').click();
      const form = page.getByTestId('step-form');
      await form.getByTestId('step-code').click();
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option[title="确定发展对象"]').click();
      await setDate(page, tooEarly);
      const error = form.getByTestId('step-check').getByTestId('check-error');
      await error.filter({ hasText: '第十三条' }).waitFor();
      const text = await error.first().innerText();
      assert.match(text, new RegExp(`确定为入党积极分子（${activist}）一年以上才能列为发展对象，最早${onTime}`));
      assert.match(text, /《中国共产党发展党员工作细则》\(2014\)第十三条/);
      assert.ok(await page.getByTestId('step-save').isDisabled(), '保存 is disabled while a rule refuses the step');
      await shot(page, 'recruitment-refused');

      // On save the server refuses too: hold the live check so 保存 is pressed before its answer.
      let release: () => void = () => {};
      const held = new Promise<void>((r) => (release = r));
      const hold = async (route: Route) => {
        await held;
        await route.continue();
      };
      await page.route('**/api/recruitment/*/steps/check', hold);
      await setDate(page, addDays(tooEarly, 1));
      await page.getByTestId('check-pending').waitFor();
      await page.getByTestId('step-save').click();
      const refused = form.getByTestId('save-refused');
      await refused.waitFor();
      assert.match(await refused.innerText(), /一年以上才能列为发展对象.*第十三条/s);
      const answered = page.waitForResponse((r) => r.url().endsWith('/steps/check'));
      release();
      await answered;
      await page.unroute('**/api/recruitment/*/steps/check', hold);
      await form.getByTestId('check-pending').waitFor({ state: 'detached' });
      await error.filter({ hasText: '第十三条' }).waitFor();

      // A valid date: the check passes, 保存 records it, the timeline advances to 发展对象.
      await setDate(page, onTime);
      await form.getByTestId('check-ok').waitFor();
      assert.equal(await form.getByTestId('check-error').count(), 0);
      await page.getByTestId('step-save').click();
      await form.waitFor({ state: 'detached' });
      await page.getByTestId('timeline-stage').getByText('发展对象', { exact: true }).waitFor();
      await page.getByTestId('history-candidate').getByTestId('tl-candidate').getByText(onTime).waitFor();
      for (const code of ['sponsors', 'politicalReview', 'training']) await page.getByTestId(`due-${code}`).waitFor();
      await page.mouse.move(0, 0);
      await page.evaluate(() => window.scrollTo(0, 0));
      await shot(page, 'recruitment-timeline');

      // 发展看板: the branch now has one 发展对象 and two 申请人; a count opens the people.
      await page.getByTestId('nav-recruitment-board').click();
      await page.waitForURL(/\/recruitment\/board/);
      const cell = page.getByTestId(`board-${BRANCH}-candidate`);
      await cell.getByText('1', { exact: true }).waitFor();
      assert.equal(await page.getByTestId(`board-${BRANCH}-applicant`).innerText(), '2');
      assert.equal(await page.getByTestId('board-total-candidate').locator('.board-total-value').innerText(), '1');
      await page.mouse.move(0, 0);
      await page.locator('.ant-message-notice').waitFor({ state: 'detached' });
      await shot(page, 'recruitment-board');
      await cell.click();
      const people = page.getByTestId('board-people');
      await people.getByTestId(`person-${person}`).getByText('陈晨').waitFor();
      await page.keyboard.press('Escape');
      await people.waitFor({ state: 'hidden' });

      // 发展提醒: the overdue talk first, then the one due within 31 days; each row links to the person.
      await page.getByTestId('nav-recruitment-reminders').click();
      await page.waitForURL(/\/recruitment\/reminders/);
      const table = page.getByTestId('reminder-table');
      await table.getByTestId(`reminder-person-${soon}`).waitFor();
      const rows = (await table.locator('tr.ant-table-row').allInnerTexts()).map((r) => r.replace(/\s+/g, ' '));
      assert.equal(rows.length, 2, rows.join('\n'));
      assert.match(rows[0]!, /已逾期\d+天.*刘芳.*党组织派人谈话/);
      assert.match(rows[1]!, /\d+天后到期.*孙丽.*党组织派人谈话/);
      await shot(page, 'recruitment-reminders');
      await table.getByTestId(`reminder-person-${late}`).click();
      await page.waitForURL(new RegExp(`/recruitment/${late}$`));
      await page.getByTestId('due-talk').getByText(/已逾期/).waitFor();
    } catch (e) {
      await shot(page, 'recruitment-failure');
      throw e;
    } finally {
      await context.close();
    }
  });

  test('the timeline and the step form on a 390×844 phone', async () => {
    const { context, page } = await open({ width: 390, height: 844 });
    try {
      await signIn(page, 'clerk');
      await page.goto(`${server.base}/recruitment/${person}`);
      await page.getByTestId('timeline-stage').getByText('发展对象', { exact: true }).waitFor();
      await page.getByTestId('timeline-history').waitFor();
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 390, `page is ${width}px wide on a 390px screen`);
      await shot(page, 'recruitment-phone');
      await page.getByTestId('due-record-sponsors').click();
      const form = page.getByTestId('step-form');
      // 入党介绍人: usually the 培养联系人, chosen already; a third full member of the branch may be picked.
      await form.getByTestId('step-members').getByText('王建国').waitFor();
      await form.getByTestId('check-ok').waitFor();
      await shot(page, 'recruitment-phone-form');
    } finally {
      await context.close();
    }
  });
});
