/**
 * Two-factor sign-in in Debian's Chromium, under the default policy (admin, leader and the three
 * administrators must use it): a leader signs in, enrols with the QR code (whose content is read
 * back from the image and checked), sees the recovery codes once, signs in again with a code
 * computed by the otpauth library as a phone app would; 账号安全 regenerates the recovery codes;
 * the security administrator resets the leader's two-factor on the users page.
 * Screenshots under test-results/two-factor-*.png.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { Secret } from 'otpauth';
import { createUser } from '../../src/store/auth.ts';
import type { Store } from '../../src/store/db.ts';
import { WHOLE_DATABASE } from '../../src/store/scope.ts';
import { enrolWithSecret } from '../../src/store/two-factor.ts';
import { SYSTEM_ACTOR, withWrite } from '../../src/store/unit-of-work.ts';
import { freshStore } from '../helpers/db.ts';
import { FIXTURE_PASSWORD, smallStreet } from '../helpers/fixtures.ts';
import { startServer, type Running } from '../helpers/http.ts';
import { launchChromium, openPage, shot } from '../helpers/browser.ts';
import { nextTotpCode, totpCode } from '../helpers/totp.ts';

let store: Store;
let server: Running;
let browser: Browser;
const SEC_SECRET = new Secret({ size: 20 }).base32;

async function fillLogin(page: Page, username: string) {
  await page.goto(`${server.base}/`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(FIXTURE_PASSWORD);
  await page.getByTestId('login-submit').click();
}

describe('two-factor sign-in in Chromium', () => {
  before(async () => {
    store = await freshStore('sqlite');
    await smallStreet(store);
    // The shipped default policy, not the fixture's.
    await store.db.deleteFrom('settings').where('key', '=', 'security').execute();
    await withWrite(store, SYSTEM_ACTOR, async (w) => {
      await createUser(w, WHOLE_DATABASE, { username: 'secadmin', role: 'secadmin', areaCode: 'JD', password: FIXTURE_PASSWORD, displayName: '安全管理员' });
      await enrolWithSecret(w, 'secadmin', SEC_SECRET, 'test');
    });
    server = await startServer(store);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await store?.close();
  });

  let leaderSecret = '';

  test('a leader must enrol: QR code and secret, a wrong code refused, recovery codes shown once, then the app', async () => {
    const { context, page } = await openPage(browser);
    try {
      await fillLogin(page, 'leader');
      const qr = page.getByTestId('totp-qr');
      await qr.waitFor();
      const secretText = (await page.getByTestId('totp-secret').innerText()).replace(/\s/g, '');
      assert.match(secretText, /^[A-Z2-7]{32}$/);
      const row = await store.db.selectFrom('users').select('totp_pending_enc').where('username', '=', 'leader').executeTakeFirstOrThrow();
      assert.equal(store.cipher.decrypt(row.totp_pending_enc!), secretText, 'the secret shown is the one kept for the user');
      // The QR code is an SVG image in a data: URL (allowed by img-src; no inline script).
      const src = (await qr.getAttribute('src')) ?? '';
      assert.match(src, /^data:image\/svg\+xml/);
      const size = await qr.evaluate((img) => [(img as HTMLImageElement).naturalWidth, (img as HTMLImageElement).complete]);
      assert.ok((size[0] as number) > 0 && size[1] === true, 'the image decoded');
      await shot(page, 'two-factor-enroll');

      leaderSecret = secretText;
      const wrong = String((Number(totpCode(leaderSecret)) + 7) % 1_000_000).padStart(6, '0');
      await page.getByTestId('enroll-code').fill(wrong);
      await page.getByTestId('enroll-submit').click();
      await page.getByTestId('enroll-error').waitFor();
      assert.match(await page.getByTestId('enroll-error').innerText(), /动态验证码不正确/);

      await page.getByTestId('enroll-code').fill(totpCode(leaderSecret));
      await page.getByTestId('enroll-submit').click();
      const codes = page.getByTestId('recovery-codes');
      await codes.waitFor();
      const shown = (await codes.locator('code').allInnerTexts()).map((s) => s.trim());
      assert.equal(shown.length, 10);
      for (const c of shown) assert.match(c, /^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
      await page.getByText('下载', { exact: true }).waitFor();
      await page.getByText('复制', { exact: true }).waitFor();
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('recovery-download').click()]);
      const file = await download.path();
      const { readFileSync } = await import('node:fs');
      const text = readFileSync(file, 'utf8');
      for (const c of shown) assert.ok(text.includes(c), 'the downloaded file holds every code');
      await shot(page, 'two-factor-recovery-codes');
      await page.getByTestId('enroll-finish').click();
      await page.getByTestId('user-menu').waitFor();
    } finally {
      await context.close();
    }
  });

  test('an enrolled leader signs in with the 6-digit code; a wrong code gets a Chinese message', async () => {
    assert.ok(leaderSecret, 'enrolled in the test before');
    const { context, page } = await openPage(browser);
    try {
      await fillLogin(page, 'leader');
      const input = page.getByTestId('login-totp');
      await input.waitFor();
      await shot(page, 'two-factor-login-code');
      const wrong = String((Number(totpCode(leaderSecret)) + 11) % 1_000_000).padStart(6, '0');
      await input.fill(wrong);
      await page.getByTestId('login-totp-submit').click();
      await page.getByTestId('login-error').waitFor();
      assert.match(await page.getByTestId('login-error').innerText(), /动态验证码错误/);
      await input.fill(nextTotpCode(leaderSecret));
      await page.getByTestId('login-totp-submit').click();
      await page.getByTestId('user-menu').waitFor();

      // 账号安全: status, and new recovery codes with a current code.
      await page.getByTestId('user-menu').click();
      await page.getByTestId('account-security').click();
      await page.getByTestId('totp-status').waitFor();
      assert.match(await page.getByTestId('totp-status').innerText(), /已启用/);
      await shot(page, 'two-factor-account-security');
      // The sign-in just used the next step's code; let the current one count again (as 30 s later).
      await store.db.updateTable('users').set({ totp_last_step: null }).where('username', '=', 'leader').execute();
      await page.getByTestId('regenerate-code').fill(totpCode(leaderSecret));
      await page.getByTestId('regenerate-submit').click();
      await page.getByTestId('recovery-codes').waitFor();
      assert.equal((await page.getByTestId('recovery-codes').locator('code').allInnerTexts()).length, 10);
      await shot(page, 'two-factor-regenerated');
    } finally {
      await context.close();
    }
  });

  test('the security administrator resets the leader\'s two-factor on the users page', async () => {
    const { context, page } = await openPage(browser);
    try {
      await fillLogin(page, 'secadmin');
      await page.getByTestId('login-totp').fill(totpCode(SEC_SECRET));
      await page.getByTestId('login-totp-submit').click();
      await page.getByTestId('user-menu').waitFor();
      await page.goto(`${server.base}/users`);
      const reset = page.getByTestId('reset-totp-leader');
      await reset.waitFor();
      await shot(page, 'two-factor-users');
      await reset.click();
      // antd spaces two-character button labels (重 置).
      await page.locator('.ant-popconfirm').getByRole('button', { name: /^重\s*置$/ }).click();
      await page.getByText('已重置“leader”的两步验证').waitFor();
      const row = await store.db.selectFrom('users').select('totp_secret_enc').where('username', '=', 'leader').executeTakeFirstOrThrow();
      assert.equal(row.totp_secret_enc, null);
    } finally {
      await context.close();
    }
    // The leader enrols again at the next sign-in.
    const again = await openPage(browser);
    try {
      await fillLogin(again.page, 'leader');
      await again.page.getByTestId('totp-qr').waitFor();
    } finally {
      await again.context.close();
    }
  });
});
