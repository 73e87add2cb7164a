// Browser test of sign-in against a running Vouch server (`npm run e2e`).
//
//   VOUCH_E2E_URL=http://127.0.0.1:18080 VOUCH_E2E_EMAIL=admin@acme.test \
//   VOUCH_E2E_PASSWORD='correct horse battery' npm run e2e
//
// Uses playwright-core with the system Chromium (no browser download):
// VOUCH_E2E_CHROMIUM overrides /usr/bin/chromium. A failing step leaves a
// screenshot in web/test-results/.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const BASE_URL = process.env.VOUCH_E2E_URL?.replace(/\/+$/, '');
const EMAIL = process.env.VOUCH_E2E_EMAIL;
const PASSWORD = process.env.VOUCH_E2E_PASSWORD;
const CHROMIUM = process.env.VOUCH_E2E_CHROMIUM ?? '/usr/bin/chromium';
const RESULTS_DIR = fileURLToPath(new URL('../test-results/', import.meta.url));
const TIMEOUT = 15_000;
const NAV = ['Integrations', 'Rules', 'Templates', 'Checks', 'Settings'];

const missing = Object.entries({ VOUCH_E2E_URL: BASE_URL, VOUCH_E2E_EMAIL: EMAIL, VOUCH_E2E_PASSWORD: PASSWORD })
  .filter(([, value]) => !value)
  .map(([name]) => name);

if (missing.length > 0) {
  test('e2e configuration', () => {
    assert.fail(
      `set ${missing.join(', ')} to run the browser test against a server, e.g. ` +
        'VOUCH_E2E_URL=http://127.0.0.1:18080 VOUCH_E2E_EMAIL=admin@acme.test VOUCH_E2E_PASSWORD=...',
    );
  });
} else {
  describe('sign-in', { concurrency: false }, () => {
    let browser;
    let page;
    const pageErrors = [];

    /** Runs a step; on failure saves a screenshot named after it, then fails. */
    async function step(name, fn) {
      try {
        await fn();
      } catch (error) {
        mkdirSync(RESULTS_DIR, { recursive: true });
        const file = `${RESULTS_DIR}${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`;
        await page?.screenshot({ path: file, fullPage: true }).catch(() => {});
        error.message += `\n  page: ${page?.url()}\n  screenshot: ${file}`;
        throw error;
      }
    }

    const path = () => new URL(page.url()).pathname;
    const visible = (locator) => locator.waitFor({ state: 'visible', timeout: TIMEOUT });

    async function fillLogin(password) {
      await visible(page.getByRole('button', { name: 'Sign in' }));
      await page.getByLabel('E-mail').fill(EMAIL);
      await page.getByRole('textbox', { name: 'Password' }).fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
    }

    before(async () => {
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      context.setDefaultTimeout(TIMEOUT);
      page = await context.newPage();
      page.on('pageerror', (error) => pageErrors.push(error));
    });

    after(async () => {
      await browser?.close();
    });

    test('a signed-out visitor is sent to /login', () =>
      step('signed-out-redirect', async () => {
        await page.goto(`${BASE_URL}/`);
        await page.waitForURL((url) => url.pathname === '/login', { timeout: TIMEOUT });
        await visible(page.getByRole('button', { name: 'Sign in' }));
      }));

    test('a wrong password shows the error and stays on /login', () =>
      step('wrong-password', async () => {
        await page.goto(`${BASE_URL}/login`);
        await fillLogin(`${PASSWORD}-wrong`);
        const alert = page.getByRole('alert').filter({ hasText: /\S/ });
        await visible(alert.first());
        const message = (await alert.first().innerText()).trim();
        assert.match(message, /\S/, 'the error alert has a message');
        assert.equal(path(), '/login');
        assert.equal(await page.evaluate(() => localStorage.getItem('vouch.token')), null);
      }));

    test('the right password opens the app shell', () =>
      step('sign-in', async () => {
        await fillLogin(PASSWORD);
        await page.waitForURL((url) => url.pathname === '/integrations', { timeout: TIMEOUT });
        const nav = page.getByRole('navigation', { name: 'Main' });
        for (const label of NAV) await visible(nav.getByRole('link', { name: label, exact: true }));
        await visible(page.getByTestId('user-email').filter({ hasText: EMAIL }));
        await visible(page.getByRole('heading', { name: 'Integrations' }));
      }));

    test('the server clock ticks over the websocket', () =>
      step('server-clock', async () => {
        const clock = page.getByTestId('server-clock');
        // '--:--:--' until the first serverTime event arrives.
        await visible(clock.filter({ hasText: /\d/ }));
        const first = await clock.innerText();
        const deadline = Date.now() + TIMEOUT;
        while ((await clock.innerText()) === first && Date.now() < deadline) await page.waitForTimeout(250);
        assert.notEqual(await clock.innerText(), first, 'the clock moves on');
        assert.match(await clock.innerText(), /\d/);
      }));

    test('a client route loaded by URL works when signed in (server fallback)', () =>
      step('deep-link', async () => {
        const response = await page.goto(`${BASE_URL}/rules`);
        assert.equal(response?.status(), 200, 'GET /rules answers 200 with the SPA');
        await visible(page.getByRole('heading', { name: 'Rules' }));
        await visible(page.getByTestId('user-email').filter({ hasText: EMAIL }));
        assert.equal(path(), '/rules');
      }));

    test('settings lists the signed-in user', () =>
      step('settings', async () => {
        await page.getByRole('link', { name: 'Settings', exact: true }).click();
        await page.waitForURL((url) => url.pathname === '/settings', { timeout: TIMEOUT });
        await visible(page.getByRole('table', { name: 'Users' }).getByText(EMAIL));
      }));

    test('Sign out returns to /login', () =>
      step('sign-out', async () => {
        await page.getByRole('button', { name: 'Sign out' }).click();
        await page.waitForURL((url) => url.pathname === '/login', { timeout: TIMEOUT });
        await visible(page.getByRole('button', { name: 'Sign in' }));
        assert.equal(await page.evaluate(() => localStorage.getItem('vouch.token')), null);
        await page.goto(`${BASE_URL}/rules`);
        await page.waitForURL((url) => url.pathname === '/login', { timeout: TIMEOUT });
      }));

    test('no uncaught errors in the page', () => {
      assert.deepEqual(pageErrors.map(String), []);
    });
  });
}
