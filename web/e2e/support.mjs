// Shared pieces of the Lever browser tests (not a test file itself: the
// runner only picks up *.test.mjs). Each test file signs in as its own
// organization's super admin, made by .ci/e2e.sh, so files run in any order.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const BASE_URL = process.env.VOUCH_E2E_URL?.replace(/\/+$/, '');
export const SIM_URL = process.env.VOUCH_E2E_SIM_URL?.replace(/\/+$/, '');
export const SIM_CLIENT_ID = process.env.VOUCH_E2E_SIM_CLIENT_ID ?? 'vouch-e2e';
export const PASSWORD = process.env.VOUCH_E2E_PASSWORD;
export const TIMEOUT = 15_000;
const CHROMIUM = process.env.VOUCH_E2E_CHROMIUM ?? '/usr/bin/chromium';
const RESULTS_DIR = fileURLToPath(new URL('../test-results/', import.meta.url));

/** The seed's companies (tests/lever-sim/seeds/e2e.json). */
export const SIM = {
  oauthCompany: 'e2e00000-0000-4000-8000-000000000001',
  oauthSuperAdmin: 'e2e00000-0000-4000-8000-0000000001a1',
  revokeCompany: 'e2e00000-0000-4000-8000-000000000002',
  revokeSuperAdmin: 'e2e00000-0000-4000-8000-0000000002a1',
  euCompany: 'e2e00000-0000-4000-8000-000000000003',
};

/**
 * Whether the Lever tests can run; if not, registers one failing test that
 * says which variables are missing, and answers false.
 */
export function leverConfigured() {
  const missing = Object.entries({ VOUCH_E2E_URL: BASE_URL, VOUCH_E2E_SIM_URL: SIM_URL, VOUCH_E2E_PASSWORD: PASSWORD })
    .filter(([, value]) => !value)
    .map(([name]) => name);
  if (missing.length === 0) return true;
  test('e2e configuration', () => {
    assert.fail(`set ${missing.join(', ')} to run the Lever browser tests (bash .ci/e2e.sh sets them all)`);
  });
  return false;
}

/** A fresh browser and page with the flags the sign-in test uses; collects page errors. */
export async function openBrowser() {
  const browser = await chromium.launch({
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
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(TIMEOUT);
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error));
  return { browser, page, pageErrors };
}

/** Runs a step; on failure saves a screenshot named after it, then fails. */
export async function step(page, name, fn) {
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

export const visible = (locator) => locator.waitFor({ state: 'visible', timeout: TIMEOUT });

/** Signs in and waits for the Integrations page's Lever tile. */
export async function signIn(page, email) {
  await page.goto(`${BASE_URL}/login`);
  await visible(page.getByRole('button', { name: 'Sign in' }));
  await page.getByLabel('E-mail').fill(email);
  await page.getByRole('textbox', { name: 'Password' }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname === '/integrations', { timeout: TIMEOUT });
  await visible(page.getByRole('heading', { name: 'Lever', exact: true }));
}

/** On the simulator's consent page: pick the company and its super admin, then Accept. */
export async function consent(page, companyId, userId) {
  await page.waitForURL((url) => url.href.startsWith(`${SIM_URL}/`) && url.pathname.endsWith('/authorize'), {
    timeout: TIMEOUT,
  });
  await page.locator('#company').selectOption(companyId);
  await page.locator('#user').selectOption(userId);
  await page.locator('#accept').click();
  await page.waitForURL((url) => url.href.startsWith(BASE_URL) && url.pathname === '/integrations', {
    timeout: TIMEOUT,
  });
}

/** Calls the simulator's control API; answers the parsed JSON. */
export async function sim(method, path, body) {
  const response = await fetch(`${SIM_URL}${path}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  assert.ok(response.ok, `${method} ${path} answered ${response.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

/** The status badge's text, e.g. "CONNECTED" (Mantine badges are upper-cased). */
export async function statusText(page) {
  const badge = page.getByTestId('lever-status');
  await visible(badge);
  return (await badge.innerText()).trim().toUpperCase();
}

/** Waits until the status badge reads `status`. */
export async function waitForStatus(page, status) {
  const deadline = Date.now() + TIMEOUT;
  let seen = '';
  while (Date.now() < deadline) {
    seen = await statusText(page).catch(() => '');
    if (seen === status) return;
    await page.waitForTimeout(200);
  }
  assert.equal(seen, status, 'the Lever status badge');
}

/**
 * Polls `check` until it answers something truthy (or `timeout` passes,
 * then fails naming `what` and the last error). For outcomes that arrive
 * eventually: jobs, webhooks, Lever writes.
 */
export async function eventually(what, check, timeout = 30_000, interval = 250) {
  const deadline = Date.now() + timeout;
  let lastError;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeout} ms waiting for ${what}${lastError ? `: ${lastError.message}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

/** Runs a GraphQL operation against Vouch; answers `data`, failing on errors. */
export async function graphql(token, query, variables = {}) {
  const response = await fetch(`${BASE_URL}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  assert.ok(!body.errors, `GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** Signs in through the API; answers the session token. */
export async function apiLogin(email) {
  const data = await graphql(null, 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', {
    e: email,
    p: PASSWORD,
  });
  return data.login.token;
}
