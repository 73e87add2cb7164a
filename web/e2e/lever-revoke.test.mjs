// Access revoked in Lever: Refresh finds out, the banner shows on every page,
// and Reconnect goes through Lever's consent again.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BASE_URL, SIM, SIM_CLIENT_ID, consent, leverConfigured, openBrowser, signIn, sim, step, visible, waitForStatus } from './support.mjs';

if (leverConfigured()) {
  describe('Lever access revoked', { concurrency: false }, () => {
    let session;
    const page = () => session.page;
    const banner = () => page().getByTestId('revoked-banner');

    before(async () => {
      session = await openBrowser();
    });
    after(async () => {
      await session?.browser.close();
    });

    test('connect by OAuth first', () =>
      step(page(), 'revoke-connect', async () => {
        await signIn(page(), 'revoke-admin@vouch.test');
        await page().getByRole('button', { name: 'Connect with Lever' }).click();
        await consent(page(), SIM.revokeCompany, SIM.revokeSuperAdmin);
        await waitForStatus(page(), 'CONNECTED');
      }));

    test('after Lever revokes access, Refresh shows the REVOKED banner with Reconnect', () =>
      step(page(), 'revoke-refresh', async () => {
        await sim('POST', '/_sim/oauth/revoke', { companyId: SIM.revokeCompany, clientId: SIM_CLIENT_ID });
        await page().getByRole('button', { name: 'Refresh from Lever' }).click();
        await visible(banner());
        assert.match(await banner().innerText(), /Lever access was revoked/);
        await visible(banner().getByRole('button', { name: 'Reconnect' }));
        await waitForStatus(page(), 'REVOKED');
        await visible(page().getByRole('alert').filter({ hasText: 'Refresh failed' }));
      }));

    test('the banner shows on other pages too', () =>
      step(page(), 'revoke-other-page', async () => {
        await page().getByRole('link', { name: 'Rules', exact: true }).click();
        await page().waitForURL((url) => url.pathname === '/rules');
        await visible(banner().getByRole('button', { name: 'Reconnect' }));
      }));

    test('Reconnect goes through Lever again and clears the banner', () =>
      step(page(), 'revoke-reconnect', async () => {
        await banner().getByRole('button', { name: 'Reconnect' }).click();
        await consent(page(), SIM.revokeCompany, SIM.revokeSuperAdmin);
        assert.ok(page().url().startsWith(BASE_URL));
        await waitForStatus(page(), 'CONNECTED');
        assert.equal(await banner().count(), 0);
      }));

    test('no uncaught errors in the page', () => {
      assert.deepEqual(session.pageErrors.map(String), []);
    });
  });
}
