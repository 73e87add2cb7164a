// The connection's health and webhooks: after connecting by OAuth, Check now
// is GREEN with the five events verified and Send test succeeds; a webhook
// deleted in Lever turns it AMBER naming the event, and Repair makes it GREEN
// again. The test delivery shows in the activity's webhook log. Its own
// simulator company (made here) and organization (made by .ci/e2e.sh).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TIMEOUT, consent, leverConfigured, openBrowser, signIn, sim, step, visible, waitForStatus } from './support.mjs';

const EVENTS = ['applicationCreated', 'candidateStageChange', 'candidateArchiveChange', 'candidateHired', 'candidateDeleted'];

if (leverConfigured()) {
  describe('Lever health and webhooks', { concurrency: false }, () => {
    let session;
    let company;
    let superAdmin;
    const page = () => session.page;
    const health = () => page().getByTestId('lever-health');
    const level = async () => (await health().getAttribute('data-level')) ?? '';
    const reason = async () => (await page().getByTestId('lever-health-reason').innerText()).trim();

    /** Clicks Check now; answers the level the server found, once the badge shows it. */
    async function checkNow() {
      const answered = page().waitForResponse(
        (r) => r.url().endsWith('/graphql') && r.request().postDataJSON()?.operationName === 'CheckLeverConnection',
      );
      await page().getByRole('button', { name: 'Check now' }).click();
      const body = await (await answered).json();
      const found = body.data?.checkLeverConnection?.health?.level;
      assert.ok(found, `Check now answered ${JSON.stringify(body)}`);
      const deadline = Date.now() + TIMEOUT;
      while ((await level()) !== found && Date.now() < deadline) await page().waitForTimeout(100);
      assert.equal(await level(), found, 'the badge shows what the check found');
      return found;
    }

    /** Checks until the level reads `want` (the connect-time webhook set-up runs as a job). */
    async function checkUntil(want) {
      const deadline = Date.now() + TIMEOUT;
      let seen = '';
      while (Date.now() < deadline) {
        seen = await checkNow();
        if (seen === want) return;
        await page().waitForTimeout(300);
      }
      assert.equal(seen, want, `health after Check now (reason: ${await reason().catch(() => '?')})`);
    }

    before(async () => {
      company = await sim('POST', '/_sim/companies', { name: 'E2E Health Robotics', dataCentre: 'us' });
      superAdmin = await sim('POST', `/_sim/companies/${company.id}/users`, {
        name: 'Hana Health',
        email: 'hana@health.example',
        accessRole: 'super admin',
      });
      session = await openBrowser();
    });
    after(async () => {
      await session?.browser.close();
    });

    test('connect by OAuth through the consent page', () =>
      step(page(), 'health-connect', async () => {
        await signIn(page(), 'health-admin@vouch.test');
        await page().getByRole('radio', { name: /^US/ }).check();
        await page().getByRole('button', { name: 'Connect with Lever' }).click();
        await consent(page(), company.id, superAdmin.id);
        await waitForStatus(page(), 'CONNECTED');
      }));

    test('Check now turns GREEN and the five events are verified', () =>
      step(page(), 'health-green', async () => {
        await checkUntil('GREEN');
        assert.match(await health().innerText(), /green/i);
        const table = page().getByRole('table', { name: 'Webhook events' });
        for (const event of EVENTS) {
          const row = table.getByTestId(`webhook-${event}`);
          await visible(row.getByText('Verified', { exact: true }));
          assert.match(await row.innerText(), /Yes/, `${event} registered by Vouch`);
        }
      }));

    test('Send test succeeds', () =>
      step(page(), 'health-send-test', async () => {
        await page().getByRole('button', { name: 'Send test' }).click();
        const result = page().getByTestId('webhook-test-result');
        await visible(result);
        assert.match(await result.innerText(), /Test delivery accepted/);
      }));

    test('a webhook deleted in Lever turns it AMBER naming the event', () =>
      step(page(), 'health-amber', async () => {
        const hooks = await sim('GET', `/_sim/companies/${company.id}/webhooks`);
        const hired = hooks.find((w) => w.event === 'candidateHired');
        assert.ok(hired, `a candidateHired webhook among ${JSON.stringify(hooks.map((w) => w.event))}`);
        await sim('DELETE', `/_sim/companies/${company.id}/webhooks/${hired.id}`);
        assert.equal(await checkNow(), 'AMBER');
        assert.match(await reason(), /candidateHired/);
      }));

    test('Repair makes it GREEN again', () =>
      step(page(), 'health-repair', async () => {
        await page().getByRole('button', { name: 'Repair' }).click();
        await visible(page().getByTestId('repair-result'));
        const deadline = Date.now() + TIMEOUT;
        while ((await level()) !== 'GREEN' && Date.now() < deadline) await page().waitForTimeout(200);
        assert.equal(await level(), 'GREEN', `health after Repair (reason: ${await reason()})`);
        const hooks = await sim('GET', `/_sim/companies/${company.id}/webhooks`);
        assert.ok(hooks.some((w) => w.event === 'candidateHired'), 'candidateHired is registered again');
      }));

    test('the activity shows the test delivery in the webhook log', () =>
      step(page(), 'health-activity', async () => {
        await page().getByRole('button', { name: 'Reload' }).click();
        const log = page().getByRole('table', { name: 'Webhook log' });
        await visible(log);
        const rows = log.locator('tbody tr');
        assert.ok((await rows.count()) >= 1, 'at least one delivery');
        await visible(rows.filter({ hasText: 'none' }).filter({ hasText: 'Ignored' }).first());
        assert.match(await page().getByTestId('last-webhook').innerText(), /Last event received/);
      }));

    test('no uncaught errors in the page', () => {
      assert.deepEqual(session.pageErrors.map(String), []);
    });
  });
}
