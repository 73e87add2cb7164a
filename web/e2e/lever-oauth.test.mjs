// Connecting Lever by OAuth: Connect, Accept on the simulator's consent page,
// back on Integrations as CONNECTED; then refresh and pick the fallback user.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BASE_URL, SIM, SIM_URL, consent, leverConfigured, openBrowser, signIn, step, visible, waitForStatus } from './support.mjs';

if (leverConfigured()) {
  describe('Lever by OAuth', { concurrency: false }, () => {
    let session;
    const page = () => session.page;
    // Mantine's Select labels its input and its option list alike: take the input.
    const fallbackPicker = () => page().locator('input').and(page().getByLabel(/Perform as/));

    before(async () => {
      session = await openBrowser();
    });
    after(async () => {
      await session?.browser.close();
    });

    test('Connect with Lever, Accept, and land back connected', () =>
      step(page(), 'oauth-connect', async () => {
        await signIn(page(), 'oauth-admin@vouch.test');
        await page().getByRole('radio', { name: /^US/ }).check();
        await page().getByRole('button', { name: 'Connect with Lever' }).click();
        await consent(page(), SIM.oauthCompany, SIM.oauthSuperAdmin);
        await visible(page().getByTestId('oauth-result').filter({ hasText: 'Lever connected' }));
        assert.equal(new URL(page().url()).search, '', 'the callback parameters are cleaned from the address');
        await waitForStatus(page(), 'CONNECTED');
        const details = page().getByRole('table', { name: 'Lever connection' });
        await visible(details.getByText('OAuth'));
        await visible(details.getByText('US', { exact: true }));
        const webhook = await page().getByLabel('Webhook URL', { exact: true }).inputValue();
        assert.ok(webhook.startsWith(`${BASE_URL}/webhooks/lever/`), `webhook URL ${webhook}`);
        assert.equal(await page().getByTestId('revoked-banner').count(), 0);
      }));

    test('Refresh from Lever reads the catalogue and shows the counts', () =>
      step(page(), 'oauth-refresh', async () => {
        await page().getByRole('button', { name: 'Refresh from Lever' }).click();
        const counts = page().getByTestId('catalogue-counts');
        await visible(counts);
        assert.match(await counts.innerText(), /Read \d+ items \(users, postings and stages\) from Lever\./);
      }));

    test('the fallback user is picked from active Lever users and kept', () =>
      step(page(), 'oauth-fallback', async () => {
        const picker = fallbackPicker();
        await picker.click();
        await visible(page().getByRole('option', { name: /Sam Super/ }));
        assert.equal(await page().getByRole('option', { name: /Dan Departed/ }).count(), 0, 'deactivated users are not offered');
        await page().getByRole('option', { name: /Olga Owner/ }).click();
        await visible(page().getByText('Fallback Lever user saved.'));
        await page().reload();
        await waitForStatus(page(), 'CONNECTED');
        const value = fallbackPicker();
        const deadline = Date.now() + 10_000;
        while (!(await value.inputValue()).includes('Olga Owner') && Date.now() < deadline) await page().waitForTimeout(200);
        assert.match(await value.inputValue(), /Olga Owner/);
      }));

    test('the simulator saw a grant for this client', async () => {
      const grants = await (await fetch(`${SIM_URL}/_sim/oauth/grants`)).json();
      assert.ok(grants.some((g) => g.companyId === SIM.oauthCompany && !g.revoked));
    });

    test('no uncaught errors in the page', () => {
      assert.deepEqual(session.pageErrors.map(String), []);
    });
  });
}
