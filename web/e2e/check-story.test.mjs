// The whole check story (issue #7) against the simulator: this file's
// organization connects its own Lever company (seeded in
// tests/lever-sim/seeds/e2e.json: a posting, a "Self-assessment" and a
// "Reference check" stage, two candidates with e-mail addresses, an API
// key) and maps the two stages to "Self-assessment + references". Then, as
// a recruiter would in Lever, the simulator moves a candidate into the
// self-assessment stage; the candidate answers through the e-mailed link in
// a browser without signing in, and Lever ends up showing "Vouch Status:
// Completed" with one current note. The same for a reference check: the
// candidate names two referees, each answers through their own link, the
// check completes, and the admin's report shows both side by side. The
// admin also reads the candidate's e-mail on the outbox page (the browser
// tests run without SMTP) and follows its link to the public page.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { apiLogin, eventually, graphql, leverConfigured, openBrowser, signIn, sim, step, TIMEOUT, visible } from './support.mjs';

const STORY = {
  company: 'e2e00000-0000-4000-8000-000000000004',
  leverUser: 'e2e00000-0000-4000-8000-0000000004a1',
  selfStage: 'e2e00000-0000-4000-8000-0000000004c1',
  refStage: 'e2e00000-0000-4000-8000-0000000004c2',
  posting: 'e2e00000-0000-4000-8000-0000000004b1',
  sam: { id: 'e2e00000-0000-4000-8000-0000000004d1', name: 'Sam Story', email: 'sam@story-candidate.example' },
  rae: { id: 'e2e00000-0000-4000-8000-0000000004d2', name: 'Rae Story', email: 'rae@story-candidate.example' },
  apiKey: 'e2e-story-api-key',
};
const ADMIN = 'story-admin@vouch.test';
/** Long enough for a webhook, a job and the Checks page's next poll (5 s). */
const LIVE = 30_000;
const REFEREES = [
  { name: 'Rita Referee', email: 'rita@story-refs.example', relationship: 'My manager' },
  { name: 'Pete Peer', email: 'pete@story-refs.example', relationship: 'A colleague' },
];

if (leverConfigured()) {
  describe('A check from Lever stage to report', { concurrency: false }, () => {
    let session;
    let token;
    const respondents = [];
    const page = () => session.page;

    /** The newest outbox link of `kind` to `to`, as the e-mail has it. */
    async function linkFor(to, kind) {
      return eventually(`a ${kind} e-mail to ${to}`, async () => {
        const data = await graphql(token, '{ outbox(first: 200) { to kind body } }');
        const mail = data.outbox.find((m) => m.to === to && m.kind === kind);
        return mail?.body.match(/https?:\/\/\S+\/respond\/[A-Za-z0-9_-]+/)?.[0];
      });
    }

    /** A fresh browser context without a session, as a candidate or referee opens their e-mail. */
    async function openAsRespondent(url) {
      const context = await session.browser.newContext({ viewport: { width: 1000, height: 900 } });
      context.setDefaultTimeout(TIMEOUT);
      const p = await context.newPage();
      p.on('pageerror', (error) => session.pageErrors.push(error));
      respondents.push(context);
      await p.goto(url);
      return p;
    }

    /** Answers every question of a questionnaire page with some valid value. */
    async function answerAll(p, text) {
      const questions = p.locator('[data-testid^="question-"]:not([data-testid$="-counter"])');
      await visible(questions.first());
      const count = await questions.count();
      assert.ok(count > 0, 'the questionnaire has questions');
      for (let i = 0; i < count; i += 1) {
        const q = questions.nth(i);
        if ((await q.locator('textarea').count()) > 0) await q.locator('textarea').first().fill(text);
        else await q.getByRole('radio').last().check();
      }
    }

    async function submit(p) {
      await p.getByRole('button', { name: 'Submit', exact: true }).click();
      await p.getByTestId('confirm-submit').click();
      await visible(p.getByTestId('submitted'));
    }

    /** Lever's `Vouch Status: …` tags and live notes on an opportunity, from the simulator. */
    async function leverState(opportunity) {
      const base = `/_sim/companies/${STORY.company}/candidates/${opportunity}`;
      const tags = (await sim('GET', `${base}/tags`)).map((t) => t.text).filter((t) => t.startsWith('Vouch Status:'));
      const notes = (await sim('GET', `${base}/notes`)).filter((n) => !n.deletedAt).map((n) => n.value);
      return { tags, notes };
    }

    async function leverShowsCompleted(opportunity, checkId) {
      return eventually(`Lever to show the completed check on ${opportunity}`, async () => {
        const state = await leverState(opportunity);
        const done =
          state.tags.length === 1 &&
          state.tags[0] === 'Vouch Status: Completed' &&
          state.notes.length === 1 &&
          state.notes[0].includes('Completed') &&
          state.notes[0].includes(`/checks/${checkId}`);
        return done && state;
      }, LIVE);
    }

    async function checkOf(name) {
      return eventually(`a check for ${name}`, async () => {
        const data = await graphql(token, 'query($s: String) { checks(filter: { search: $s }) { id status stepKind writtenToLever } }', {
          s: name,
        });
        return data.checks[0];
      }, LIVE);
    }

    function row(name) {
      return page().getByTestId('check-row').filter({ hasText: name });
    }

    before(async () => {
      session = await openBrowser();
      token = await apiLogin(ADMIN);
      const connected = await graphql(
        token,
        'mutation($k: String!) { connectLeverWithApiKey(dataCentre: US, apiKey: $k) { connection { id } missingPermissions } }',
        { k: STORY.apiKey },
      );
      assert.deepEqual(connected.connectLeverWithApiKey.missingPermissions, []);
      const connectionId = connected.connectLeverWithApiKey.connection.id;
      const refresh = await graphql(token, 'mutation($id: UUID!) { refreshLeverCatalogue(connectionId: $id) { id } }', {
        id: connectionId,
      });
      await eventually('the catalogue refresh', async () => {
        const data = await graphql(token, 'query($id: UUID!) { job(id: $id) { status lastError } }', {
          id: refresh.refreshLeverCatalogue.id,
        });
        assert.ok(!['FAILED', 'PAUSED'].includes(data.job.status), `catalogue job ${data.job.status}: ${data.job.lastError}`);
        return data.job.status === 'DONE';
      });
      // Vouch registers its webhooks in Lever; deliveries verify once their tokens are stored.
      await eventually('the webhooks registered', async () => {
        const data = await graphql(token, '{ leverConnection { webhooks { tokenConfigured } } }');
        return data.leverConnection.webhooks.every((w) => w.tokenConfigured);
      });
      const { templates } = await graphql(token, '{ templates { id name steps { id kind } } }');
      const template = templates.find((t) => t.name === 'Self-assessment + references');
      assert.ok(template, 'the ready-made two-step template');
      const stages = { SELF_ASSESSMENT: STORY.selfStage, REFERENCE_CHECK: STORY.refStage };
      await graphql(token, 'mutation($i: RuleInput!) { createRule(input: $i) { id } }', {
        i: {
          name: 'Story rule',
          postingIds: [STORY.posting],
          templateId: template.id,
          language: 'EN',
          steps: template.steps.map((s) => ({ stepId: s.id, stageId: stages[s.kind] })),
        },
      });
    });

    after(async () => {
      for (const context of respondents) await context.close().catch(() => {});
      await session?.browser.close();
    });

    test('the admin opens Checks: nothing yet', () =>
      step(page(), 'story-empty', async () => {
        await signIn(page(), ADMIN);
        await page().getByRole('link', { name: 'Checks' }).click();
        await visible(page().getByTestId('checks-empty'));
      }));

    test('self-assessment: stage change, the candidate answers by link, Lever shows Completed', () =>
      step(page(), 'story-self-assessment', async () => {
        await sim('POST', `/_sim/companies/${STORY.company}/candidates/${STORY.sam.id}/move`, {
          stageId: STORY.selfStage,
          userId: STORY.leverUser,
        });
        // The admin's list shows the new check by itself (it polls).
        await row(STORY.sam.name).getByTestId('check-status').filter({ hasText: 'Sent' }).waitFor({ timeout: LIVE });

        const link = await linkFor(STORY.sam.email, 'CANDIDATE_LINK');
        const p = await openAsRespondent(link);
        await step(p, 'story-self-assessment-page', async () => {
          await visible(p.getByRole('heading', { name: 'Your self-assessment' }));
          await answerAll(p, 'I shipped the story robot.');
          await p.getByRole('button', { name: 'Save draft' }).click();
          await visible(p.getByText(/Draft saved at/));
          // The draft is kept: the same link resumes it.
          await p.reload();
          await visible(p.getByRole('heading', { name: 'Your self-assessment' }));
          assert.equal(await p.locator('textarea').first().inputValue(), 'I shipped the story robot.');
          await submit(p);
          // Submitted answers are read-only, also after a reload.
          await p.reload();
          await visible(p.getByTestId('submitted'));
          assert.equal(await p.getByRole('button', { name: 'Submit', exact: true }).count(), 0);
        });

        const check = await checkOf(STORY.sam.name);
        const lever = await leverShowsCompleted(STORY.sam.id, check.id);
        assert.deepEqual(lever.tags, ['Vouch Status: Completed']);
        await row(STORY.sam.name).getByTestId('check-status').filter({ hasText: 'Completed' }).waitFor({ timeout: LIVE });
      }));

    test('the admin reads the candidate’s e-mail in the outbox, and its link opens the public page', () =>
      step(page(), 'story-outbox', async () => {
        const expected = await linkFor(STORY.sam.email, 'CANDIDATE_LINK');
        await page().getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'E-mail', exact: true }).click();
        await page().waitForURL((url) => url.pathname === '/outbox', { timeout: TIMEOUT });
        const mail = page().getByTestId('email-row').filter({ hasText: STORY.sam.email });
        await visible(mail);
        // No SMTP in the browser tests: the e-mail stayed in the outbox.
        assert.match(await mail.getByTestId('email-status').innerText(), /in outbox/i);
        assert.match(await mail.innerText(), /Candidate link/);
        await mail.getByRole('button').first().click();
        const body = page().getByTestId('email-body');
        await visible(body);
        const link = body.getByRole('link');
        assert.equal(await link.count(), 1, 'one link in the candidate’s e-mail');
        assert.equal(await link.getAttribute('href'), expected);
        // The link opens the candidate's page in a new tab (Sam has answered by now).
        const [tab] = await Promise.all([page().waitForEvent('popup'), link.click()]);
        tab.on('pageerror', (error) => session.pageErrors.push(error));
        await step(tab, 'story-outbox-link', async () => {
          await tab.waitForURL((url) => url.href === expected, { timeout: TIMEOUT });
          await visible(tab.getByRole('heading', { name: 'Your self-assessment' }));
          await visible(tab.getByTestId('submitted'));
        });
        await tab.close();
        await page().getByRole('button', { name: 'Close' }).click();

        // From the check's page to that check's e-mails only.
        const check = await checkOf(STORY.sam.name);
        await page().getByRole('link', { name: 'Checks', exact: true }).click();
        await row(STORY.sam.name).getByRole('link', { name: 'Open' }).click();
        await page().waitForURL((url) => url.pathname === `/checks/${check.id}`, { timeout: TIMEOUT });
        await page().getByRole('link', { name: 'E-mails', exact: true }).click();
        await page().waitForURL(
          (url) => url.pathname === '/outbox' && url.searchParams.get('check') === check.id,
          { timeout: TIMEOUT },
        );
        await visible(page().getByTestId('outbox-check-filter'));
        await visible(page().getByTestId('email-row').filter({ hasText: STORY.sam.email }));
        const recipients = await page().getByTestId('email-row').locator('td:first-child').allInnerTexts();
        assert.deepEqual([...new Set(recipients.map((r) => r.trim()))], [STORY.sam.email]);
        await page().getByRole('link', { name: 'Checks', exact: true }).click();
        await visible(row(STORY.sam.name));
      }));

    test('reference check: the candidate names two referees, both answer, the report shows them side by side', () =>
      step(page(), 'story-reference-check', async () => {
        await sim('POST', `/_sim/companies/${STORY.company}/candidates/${STORY.rae.id}/move`, {
          stageId: STORY.refStage,
          userId: STORY.leverUser,
        });
        await row(STORY.rae.name).getByTestId('check-status').filter({ hasText: 'Sent' }).waitFor({ timeout: LIVE });

        const nominate = await openAsRespondent(await linkFor(STORY.rae.email, 'CANDIDATE_LINK'));
        await step(nominate, 'story-nominate', async () => {
          await visible(nominate.getByRole('heading', { name: 'Name your referees' }));
          for (const [i, r] of REFEREES.entries()) {
            const box = nominate.getByTestId(`referee-${i}`);
            await box.getByLabel(/Full name/).fill(r.name);
            await box.getByLabel(/E-mail address/).fill(r.email);
            await box.locator('input').and(box.getByLabel(/How do you know them/)).click();
            await nominate.getByRole('option', { name: r.relationship }).click();
          }
          await nominate.getByRole('button', { name: 'Send to my referees' }).click();
          await visible(nominate.getByTestId('nominated'));
        });
        await row(STORY.rae.name)
          .getByTestId('check-status')
          .filter({ hasText: 'Awaiting referees' })
          .waitFor({ timeout: LIVE });

        for (const [i, r] of REFEREES.entries()) {
          const p = await openAsRespondent(await linkFor(r.email, 'REFEREE_REQUEST'));
          await step(p, `story-referee-${i}`, async () => {
            await visible(p.getByRole('heading', { name: `Reference for ${STORY.rae.name}` }));
            await answerAll(p, `${r.name} on Rae: reliable and kind.`);
            await submit(p);
          });
        }

        const check = await eventually('the reference check to complete', async () => {
          const c = await checkOf(STORY.rae.name);
          return c.status === 'COMPLETED' && c.writtenToLever && c;
        }, LIVE);
        assert.equal(check.stepKind, 'REFERENCE_CHECK');

        // The admin's report: both referees side by side.
        await row(STORY.rae.name).getByTestId('check-status').filter({ hasText: 'Completed' }).waitFor({ timeout: LIVE });
        await row(STORY.rae.name).getByRole('link', { name: 'Open' }).click();
        await page().waitForURL((url) => url.pathname === `/checks/${check.id}`, { timeout: TIMEOUT });
        const detail = page().getByTestId('check-detail');
        await visible(detail.getByTestId('check-status').filter({ hasText: 'Completed' }));
        const report = page().getByTestId('report-table');
        await visible(report);
        const headers = (await report.getByRole('columnheader').allInnerTexts()).map((h) => h.trim());
        assert.deepEqual(headers.slice(1, 3), REFEREES.map((r) => r.name));
        assert.match(await report.innerText(), /Rita Referee on Rae: reliable and kind\./);
        assert.match(await report.innerText(), /Pete Peer on Rae: reliable and kind\./);
        assert.equal(await page().getByTestId('referees-table').getByText(/^Answered/).count(), 2);
        // Printed, the report keeps its content and drops the app's frame and buttons.
        await page().emulateMedia({ media: 'print' });
        assert.equal(await page().getByRole('navigation', { name: 'Main' }).isVisible(), false, 'no navigation on paper');
        assert.equal(await page().getByRole('button', { name: 'Print' }).isVisible(), false, 'no buttons on paper');
        assert.equal(await report.isVisible(), true, 'the report on paper');
        await page().emulateMedia({ media: 'screen' });
        await visible(page().getByRole('button', { name: 'Print' }));

        const lever = await leverShowsCompleted(STORY.rae.id, check.id);
        assert.equal(lever.notes.length, 1, 'a single current note');
      }));

    test('no uncaught errors in any page', () => {
      assert.deepEqual(session.pageErrors.map(String), []);
    });
  });
}
