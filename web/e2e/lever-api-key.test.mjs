// Connecting an EU account with an API key that lacks "Create a note": the
// permission report names it; once granted in Lever, the same key connects.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { SIM, leverConfigured, openBrowser, signIn, sim, step, visible, waitForStatus } from './support.mjs';

if (leverConfigured()) {
  describe('Lever by EU API key', { concurrency: false }, () => {
    let session;
    const page = () => session.page;
    const key = `e2e-eu-${randomUUID()}`;

    before(async () => {
      session = await openBrowser();
      const permissions = (await sim('GET', '/_sim/permissions')).map((p) => p.name);
      assert.ok(permissions.includes('Create a note'));
      await sim('POST', `/_sim/companies/${SIM.euCompany}/api-keys`, {
        key,
        label: 'e2e without notes',
        permissions: permissions.filter((name) => name !== 'Create a note'),
      });
    });
    after(async () => {
      await session?.browser.close();
    });

    test('a key without "Create a note" is refused with the permission named', () =>
      step(page(), 'api-key-missing', async () => {
        await signIn(page(), 'apikey-admin@vouch.test');
        await page().getByRole('radio', { name: /^EU/ }).check();
        assert.equal(await page().getByRole('button', { name: 'Connect with Lever' }).count(), 0, 'EU has no OAuth');
        const field = page().getByLabel(/^API key/);
        assert.equal(await field.getAttribute('type'), 'password');
        await field.fill(key);
        await page().getByRole('button', { name: 'Connect', exact: true }).click();
        const report = page().getByTestId('permission-report');
        await visible(report);
        const missing = await report.getByRole('list', { name: 'Missing permissions' }).getByRole('listitem').allInnerTexts();
        assert.deepEqual(missing.map((m) => m.trim()), ['Create a note']);
        assert.match(await report.innerText(), /Settings → Integrations and API → API Credentials/);
        assert.equal(await page().getByTestId('lever-status').count(), 0, 'nothing connected');
      }));

    test('after granting it in Lever, the same key connects', () =>
      step(page(), 'api-key-granted', async () => {
        await sim('POST', `/_sim/api-keys/${encodeURIComponent(key)}/grant-permission`, { permission: 'Create a note' });
        await page().getByRole('button', { name: 'Connect', exact: true }).click();
        await waitForStatus(page(), 'CONNECTED');
        const details = page().getByRole('table', { name: 'Lever connection' });
        await visible(details.getByText('API key'));
        await visible(details.getByText('EU', { exact: true }));
      }));

    test('no uncaught errors in the page', () => {
      assert.deepEqual(session.pageErrors.map(String), []);
    });
  });
}
