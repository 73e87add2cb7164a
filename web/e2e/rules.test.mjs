// A rule end to end against the simulator: this file's own Lever company
// (made through the control API), connect by OAuth, refresh the catalogue,
// create a rule (posting, template, a stage per step), see it listed, and
// ask "What happens if…" for that posting and stage.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { consent, leverConfigured, openBrowser, signIn, sim, step, visible, waitForStatus } from './support.mjs';

if (leverConfigured()) {
  describe('Rules', { concurrency: false }, () => {
    let session;
    let company;
    let admin;
    const page = () => session.page;
    // Mantine's Select labels its input and its option list alike: take the input.
    const input = (label) => page().locator('input').and(page().getByLabel(label, { exact: true }));

    before(async () => {
      session = await openBrowser();
      company = await sim('POST', '/_sim/companies', { name: `E2E Rules ${Date.now()}`, dataCentre: 'us' });
      admin = await sim('POST', `/_sim/companies/${company.id}/users`, {
        name: 'Rae Rules',
        email: `rae-${Date.now()}@rules.example`,
        accessRole: 'super admin',
      });
      await sim('POST', `/_sim/companies/${company.id}/stages`, { text: 'Reference round' });
      await sim('POST', `/_sim/companies/${company.id}/postings`, { text: 'Gearbox Tuner', owner: admin.id });
    });
    after(async () => {
      await session?.browser.close();
    });

    test('connect by OAuth and refresh the catalogue', () =>
      step(page(), 'rules-connect', async () => {
        await signIn(page(), 'rules-admin@vouch.test');
        await page().getByRole('radio', { name: /^US/ }).check();
        await page().getByRole('button', { name: 'Connect with Lever' }).click();
        await consent(page(), company.id, admin.id);
        await waitForStatus(page(), 'CONNECTED');
        await page().getByRole('button', { name: 'Refresh from Lever' }).click();
        await visible(page().getByTestId('catalogue-counts'));
      }));

    test('create a rule: posting, template, a stage per step', () =>
      step(page(), 'rules-create', async () => {
        await page().getByRole('link', { name: 'Rules' }).click();
        await page().getByRole('button', { name: 'New rule' }).click();
        const editor = page().getByTestId('rule-editor');
        await visible(editor);
        await editor.getByLabel('Name', { exact: true }).fill('Gearbox references');
        await input('Postings').click();
        await input('Postings').fill('Gearbox');
        await page().getByRole('option', { name: 'Gearbox Tuner' }).click();
        await input('Template').click();
        await page().getByRole('option', { name: 'Standard reference check' }).click();
        await input('Stage for step 1').click();
        await page().getByRole('option', { name: 'Reference round' }).click();
        await editor.getByRole('button', { name: 'Save rule' }).click();
        const row = page().getByTestId('rule-row').filter({ hasText: 'Gearbox references' });
        await visible(row);
        assert.match(await row.innerText(), /Gearbox Tuner/);
        assert.match(await row.innerText(), /Standard reference check/);
      }));

    test('What happens if… names the step that would start', () =>
      step(page(), 'rules-preview', async () => {
        await input('A candidate of posting').click();
        await page().getByRole('option', { name: 'Gearbox Tuner' }).click();
        await input('enters stage').click();
        await page().getByRole('option', { name: 'Reference round' }).click();
        await page().getByRole('button', { name: 'Show what would happen' }).click();
        const answer = page().getByTestId('preview-answer');
        await visible(answer);
        assert.match(await answer.innerText(), /A step would start/);
        assert.match(
          await page().getByTestId('preview-step').innerText(),
          /Step 1 \(Reference check\) of Standard reference check, by rule “Gearbox references”/,
        );
      }));

    test('no uncaught errors in the page', () => {
      assert.deepEqual(session.pageErrors.map(String), []);
    });
  });
}
