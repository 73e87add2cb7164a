import { describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { tokenStore } from '../auth/tokenStore';
import { ME, fakeServer, gqlError, type Handler } from '../test/fakeServer';
import { fakeJwt } from '../test/jwt';
import { leverActivity, leverConnection, leverStage, meWithRole, webhookStatus, WEBHOOK_EVENT_NAMES } from '../test/lever';
import { renderApp } from '../test/renderApp';
import { browser } from './browser';

// Each test renders the whole tile (health, webhooks, pickers, activity) and
// types into password fields: more than the default 5 s on a busy machine.
vi.setConfig({ testTimeout: 20_000 });

function signedIn() {
  tokenStore.set(fakeJwt());
  return userEvent.setup();
}

/** The tile's usual queries, with `handlers` on top. */
function server(handlers: Record<string, Handler> = {}, me: unknown = ME) {
  return fakeServer({
    Me: () => ({ data: me }),
    LeverConnection: () => ({ data: { leverConnection: leverConnection() } }),
    LeverUsers: () => ({ data: { leverUsers: [] } }),
    LeverExportStages: () => ({ data: { leverStages: [] } }),
    LeverActivity: () => ({ data: leverActivity() }),
    ...handlers,
  });
}

const health = (level: string, reason: string, minutesAgo = 2) => ({
  __typename: 'LeverHealth',
  level,
  reason,
  checkedAt: new Date(Date.now() - minutesAgo * 60_000).toISOString(),
});

const requestsNamed = (s: ReturnType<typeof server>, name: string) => s.requests.filter((r) => r.body.operationName === name);

describe('the health panel', () => {
  it('shows green with the reason and when it was checked', async () => {
    signedIn();
    renderApp('/integrations', server().fetch);
    const badge = await screen.findByTestId('lever-health');
    expect(badge).toHaveTextContent('Green');
    expect(badge).toHaveAttribute('data-level', 'GREEN');
    expect(screen.getByTestId('lever-health-reason')).toHaveTextContent('Credentials, permissions and webhooks are in order');
    expect(screen.getByTestId('lever-health-checked')).toHaveTextContent('checked 2 minutes ago');
  });

  it('shows amber naming what is missing, and red', async () => {
    signedIn();
    const amber = server({
      LeverConnection: () => ({
        data: { leverConnection: leverConnection({ health: health('AMBER', "Vouch's webhooks are missing in Lever for: candidateHired; use Repair") }) },
      }),
    });
    const { unmount } = renderApp('/integrations', amber.fetch);
    expect(await screen.findByTestId('lever-health')).toHaveAttribute('data-level', 'AMBER');
    expect(screen.getByTestId('lever-health-reason')).toHaveTextContent('missing in Lever for: candidateHired');
    unmount();

    const red = server({
      LeverConnection: () => ({
        data: { leverConnection: leverConnection({ authMode: 'API_KEY', health: health('RED', 'the API key lacks: Create a note') }) },
      }),
    });
    renderApp('/integrations', red.fetch);
    expect(await screen.findByTestId('lever-health')).toHaveTextContent('Red');
    expect(screen.getByTestId('lever-health-reason')).toHaveTextContent('The API key lacks: Create a note');
  });

  it('says when no check ran yet', async () => {
    signedIn();
    const s = server({ LeverConnection: () => ({ data: { leverConnection: leverConnection({ health: null }) } }) });
    renderApp('/integrations', s.fetch);
    expect(await screen.findByTestId('lever-health')).toHaveTextContent('Not checked yet');
  });

  it('Check now runs the check and shows the fresh result', async () => {
    const user = signedIn();
    let connection = leverConnection({ health: health('AMBER', 'no signing token stored for: candidateHired; use Repair', 60) });
    const s = server({
      LeverConnection: () => ({ data: { leverConnection: connection } }),
      CheckLeverConnection: () => {
        connection = leverConnection({ health: health('GREEN', 'credentials, permissions and webhooks are in order', 0) });
        return { data: { checkLeverConnection: connection } };
      },
    });
    renderApp('/integrations', s.fetch);
    expect(await screen.findByTestId('lever-health')).toHaveAttribute('data-level', 'AMBER');
    await user.click(screen.getByRole('button', { name: 'Check now' }));
    await waitFor(() => expect(screen.getByTestId('lever-health')).toHaveAttribute('data-level', 'GREEN'));
    expect(screen.getByTestId('lever-health-checked')).toHaveTextContent('checked now');
    expect(requestsNamed(s, 'CheckLeverConnection')[0]?.body.variables).toEqual({ connectionId: 'conn-1' });
  });

  it('shows why a check failed', async () => {
    const user = signedIn();
    const s = server({ CheckLeverConnection: () => gqlError('Lever did not answer: try again in a minute', 'INTERNAL') });
    renderApp('/integrations', s.fetch);
    await user.click(await screen.findByRole('button', { name: 'Check now' }));
    expect(await screen.findByRole('alert', { name: 'Check failed' })).toHaveTextContent('Lever did not answer');
  });

  it('Repair follows the job, then checks again and shows the result', async () => {
    const user = signedIn();
    let connection = leverConnection({ health: health('AMBER', "Vouch's webhooks are missing in Lever for: candidateHired; use Repair") });
    const job = (status: string) => ({
      __typename: 'Job',
      id: 'job-9',
      kind: 'lever.setup_webhooks',
      status,
      lastError: null,
      progressDone: null,
      progressTotal: null,
    });
    let finish: (value: unknown) => void = () => {};
    const s = server({
      LeverConnection: () => ({ data: { leverConnection: connection } }),
      RepairLeverConnection: () => ({ data: { repairLeverConnection: job('QUEUED') } }),
      Job: () => new Promise((resolve) => (finish = resolve)),
      CheckLeverConnection: () => {
        connection = leverConnection({ health: health('GREEN', 'credentials, permissions and webhooks are in order', 0) });
        return { data: { checkLeverConnection: connection } };
      },
    });
    renderApp('/integrations', s.fetch);
    await user.click(await screen.findByRole('button', { name: 'Repair' }));
    expect(await screen.findByText(/Registering Vouch’s webhooks in Lever again/)).toBeInTheDocument();
    await waitFor(() => expect(requestsNamed(s, 'Job')).toHaveLength(1));
    expect(requestsNamed(s, 'CheckLeverConnection')).toHaveLength(0);
    finish({ data: { job: job('DONE') } });
    expect(await screen.findByTestId('repair-result')).toHaveTextContent('Repaired; checked again: credentials, permissions and webhooks are in order');
    await waitFor(() => expect(screen.getByTestId('lever-health')).toHaveAttribute('data-level', 'GREEN'));
    expect(requestsNamed(s, 'CheckLeverConnection')).toHaveLength(1);
  });

  it('shows a failed repair job’s error', async () => {
    const user = signedIn();
    const failed = { __typename: 'Job', id: 'job-9', kind: 'lever.setup_webhooks', status: 'FAILED', lastError: 'Lever refused: 403', progressDone: null, progressTotal: null };
    const s = server({ RepairLeverConnection: () => ({ data: { repairLeverConnection: failed } }) });
    renderApp('/integrations', s.fetch);
    await user.click(await screen.findByRole('button', { name: 'Repair' }));
    expect(await screen.findByRole('alert', { name: 'Repair failed' })).toHaveTextContent('Lever refused: 403');
    expect(requestsNamed(s, 'CheckLeverConnection')).toHaveLength(0);
  });

  it('offers Reconnect with Lever instead of Repair when OAuth credentials fail', async () => {
    const user = signedIn();
    const assign = vi.spyOn(browser, 'assign').mockImplementation(() => {});
    const s = server({
      LeverConnection: () => ({
        data: { leverConnection: leverConnection({ dataCentre: 'SANDBOX', health: health('RED', 'Lever refused the credentials: reconnect') }) },
      }),
      StartLeverOAuth: () => ({ data: { startLeverOAuth: 'https://sandbox.example/authorize?state=r' } }),
    });
    renderApp('/integrations', s.fetch);
    await user.click(await screen.findByRole('button', { name: 'Reconnect with Lever' }));
    expect(screen.queryByRole('button', { name: 'Repair' })).not.toBeInTheDocument();
    await waitFor(() => expect(assign).toHaveBeenCalledWith('https://sandbox.example/authorize?state=r'));
    expect(requestsNamed(s, 'StartLeverOAuth')[0]?.body.variables).toEqual({ dataCentre: 'SANDBOX' });
  });

  it('shows a revoked connection as red, with Reconnect and no Check now', async () => {
    signedIn();
    const s = server({
      LeverConnection: () => ({
        data: { leverConnection: leverConnection({ status: 'REVOKED', statusReason: 'Lever access was revoked' }) },
      }),
    });
    renderApp('/integrations', s.fetch);
    expect(await screen.findByTestId('lever-health')).toHaveAttribute('data-level', 'RED');
    expect(screen.getByTestId('lever-health-reason')).toHaveTextContent('Lever access was revoked');
    expect(within(screen.getByRole('region', { name: 'Lever' })).getAllByRole('button', { name: 'Reconnect with Lever' })).toHaveLength(1);
    expect(screen.queryByRole('button', { name: 'Check now' })).not.toBeInTheDocument();
  });

  it('gives an admin Check now but not Repair; a team member neither', async () => {
    signedIn();
    const { unmount } = renderApp('/integrations', server({}, meWithRole('ADMIN')).fetch);
    expect(await screen.findByRole('button', { name: 'Check now' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Repair' })).not.toBeInTheDocument();
    unmount();
    renderApp('/integrations', server({}, meWithRole('TEAM_MEMBER')).fetch);
    expect(await screen.findByTestId('lever-health')).toHaveTextContent('Green');
    expect(screen.queryByRole('button', { name: 'Check now' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Send test' })).not.toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Activity' })).not.toBeInTheDocument();
  });
});

describe('the webhooks section', () => {
  it('lists the five events with Verified and Registered by Vouch', async () => {
    signedIn();
    const webhooks = WEBHOOK_EVENT_NAMES.map((e) => webhookStatus(e, e === 'candidateDeleted' ? { tokenConfigured: false, registeredByVouch: false } : {}));
    renderApp('/integrations', server({ LeverConnection: () => ({ data: { leverConnection: leverConnection({ webhooks }) } }) }).fetch);
    const table = await screen.findByRole('table', { name: 'Webhook events' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(5);
    expect(screen.getByTestId('webhook-candidateHired')).toHaveTextContent('Candidate hired (candidateHired)VerifiedYes');
    expect(screen.getByTestId('webhook-candidateDeleted')).toHaveTextContent('No tokenNo');
    expect(screen.queryByTestId('webhooks-manual')).not.toBeInTheDocument();
  });

  it('explains manual set-up and stores a pasted token, showing a field error under the field', async () => {
    const user = signedIn();
    const webhooks = WEBHOOK_EVENT_NAMES.map((e) => webhookStatus(e, { tokenConfigured: false, registeredByVouch: false }));
    let tries = 0;
    const s = server({
      LeverConnection: () => ({ data: { leverConnection: leverConnection({ webhooksManual: true, webhooks }) } }),
      SetLeverWebhookToken: () => {
        tries += 1;
        if (tries === 1) {
          return gqlError('expected the webhook’s signature token from Lever: 1 to 200 characters, no spaces', 'BAD_USER_INPUT', { field: 'signingToken' });
        }
        return { data: { setLeverWebhookToken: leverConnection({ webhooksManual: true, webhooks }) } };
      },
    });
    renderApp('/integrations', s.fetch);
    const manual = await screen.findByTestId('webhooks-manual');
    expect(manual).toHaveTextContent('Settings → Integrations and API → Webhooks');
    expect(within(manual).getAllByRole('listitem')).toHaveLength(5);

    const field = screen.getByLabelText('Signature token for Candidate hired', { selector: 'input' });
    expect(field).toHaveAttribute('type', 'password');
    const form = screen.getByRole('form', { name: 'Signature token for Candidate hired' });
    await user.type(field, 'bad token');
    await user.click(within(form).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(field).toHaveAccessibleDescription(/1 to 200 characters, no spaces/));
    expect(requestsNamed(s, 'SetLeverWebhookToken')[0]?.body.variables).toEqual({
      connectionId: 'conn-1',
      event: 'candidateHired',
      token: 'bad token',
    });

    await user.clear(field);
    await user.type(field, 'tok-123');
    await user.click(within(form).getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Signature token for Candidate hired saved.')).toBeInTheDocument();
    await waitFor(() => expect(field).toHaveValue(''));
  });

  it('stores one token for all events', async () => {
    const user = signedIn();
    const s = server({
      LeverConnection: () => ({ data: { leverConnection: leverConnection({ webhooksManual: true }) } }),
      SetLeverWebhookToken: () => ({ data: { setLeverWebhookToken: leverConnection({ webhooksManual: true }) } }),
    });
    renderApp('/integrations', s.fetch);
    await user.click(await screen.findByRole('checkbox', { name: /One token for all events/ }));
    expect(screen.queryByLabelText('Signature token for Candidate hired', { selector: 'input' })).not.toBeInTheDocument();
    await user.type(screen.getByLabelText('Signature token for all events', { selector: 'input' }), 'shared-token');
    await user.click(within(screen.getByRole('form', { name: 'Signature token for all events' })).getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(requestsNamed(s, 'SetLeverWebhookToken')[0]?.body.variables).toEqual({ connectionId: 'conn-1', event: null, token: 'shared-token' }),
    );
  });

  it('shows an event error under the field too', async () => {
    const user = signedIn();
    const s = server({
      LeverConnection: () => ({ data: { leverConnection: leverConnection({ webhooksManual: true }) } }),
      SetLeverWebhookToken: () => gqlError('expected one of applicationCreated, …', 'BAD_USER_INPUT', { field: 'event' }),
    });
    renderApp('/integrations', s.fetch);
    const field = await screen.findByLabelText('Signature token for Application created', { selector: 'input' });
    await user.type(field, 'tok');
    await user.click(within(screen.getByRole('form', { name: 'Signature token for Application created' })).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(field).toHaveAccessibleDescription(/expected one of applicationCreated/));
  });

  it('shows the manual set-up read-only to an admin', async () => {
    signedIn();
    const s = server({ LeverConnection: () => ({ data: { leverConnection: leverConnection({ webhooksManual: true }) } }) }, meWithRole('ADMIN'));
    renderApp('/integrations', s.fetch);
    expect(await screen.findByTestId('webhooks-manual')).toHaveTextContent('a super admin can do this');
    expect(screen.queryByLabelText(/Signature token/)).not.toBeInTheDocument();
  });

  it('Send test shows success', async () => {
    const user = signedIn();
    const s = server({
      SendLeverTestWebhook: () => ({
        data: { sendLeverTestWebhook: { __typename: 'WebhookTestResult', ok: true, message: 'https://vouch.example/webhooks/lever/conn-1 accepted a signed test delivery' } },
      }),
    });
    renderApp('/integrations', s.fetch);
    await user.click(await screen.findByRole('button', { name: 'Send test' }));
    const result = await screen.findByTestId('webhook-test-result');
    expect(result).toHaveTextContent('Test delivery accepted');
    expect(result).toHaveTextContent('accepted a signed test delivery');
    expect(requestsNamed(s, 'SendLeverTestWebhook')[0]?.body.variables).toEqual({ connectionId: 'conn-1' });
    // The activity refetches so the test delivery shows in the log.
    await waitFor(() => expect(requestsNamed(s, 'LeverActivity').length).toBeGreaterThan(1));
  });

  it('Send test shows a failure and its message', async () => {
    const user = signedIn();
    const s = server({
      SendLeverTestWebhook: () => ({
        data: { sendLeverTestWebhook: { __typename: 'WebhookTestResult', ok: false, message: 'no signature token is stored yet: register the webhooks (Repair) or paste the tokens from Lever' } },
      }),
    });
    renderApp('/integrations', s.fetch);
    await user.click(await screen.findByRole('button', { name: 'Send test' }));
    const result = await screen.findByRole('alert', { name: 'Test delivery failed' });
    expect(result).toHaveTextContent('No signature token is stored yet');
  });
});

describe('the default export stage', () => {
  const stages = [
    leverStage('st-1', 'New applicant'),
    leverStage('st-2', 'Reference check'),
    leverStage('st-3', 'Old screen', { gone: true }),
  ];

  it('offers the stages Lever still lists and saves the pick', async () => {
    const user = signedIn();
    let defaultExportStageId: unknown = null;
    const s = server({
      LeverConnection: () => ({ data: { leverConnection: leverConnection({ defaultExportStageId }) } }),
      LeverExportStages: () => ({ data: { leverStages: stages } }),
      UpdateLeverExportStage: ({ body }) => {
        defaultExportStageId = body.variables?.defaultExportStageId;
        return { data: { updateLeverConnection: leverConnection({ defaultExportStageId }) } };
      },
    });
    renderApp('/integrations', s.fetch);
    const picker = await screen.findByLabelText(/Default export stage/, { selector: 'input' });
    await user.click(picker);
    const options = await screen.findAllByRole('option');
    expect(options.map((o) => o.textContent)).toEqual(['New applicant', 'Reference check']);
    await user.click(screen.getByRole('option', { name: 'Reference check' }));
    await waitFor(() =>
      expect(requestsNamed(s, 'UpdateLeverExportStage')[0]?.body.variables).toEqual({ connectionId: 'conn-1', defaultExportStageId: 'st-2' }),
    );
    await waitFor(() => expect(picker).toHaveValue('Reference check'));
  });

  it('says when the saved stage is gone, and is read-only for an admin', async () => {
    signedIn();
    const s = server(
      {
        LeverConnection: () => ({ data: { leverConnection: leverConnection({ defaultExportStageId: 'st-3' }) } }),
        LeverExportStages: () => ({ data: { leverStages: stages } }),
      },
      meWithRole('ADMIN'),
    );
    renderApp('/integrations', s.fetch);
    await waitFor(() => expect(screen.getByTestId('export-stage')).toHaveTextContent('Old screen (no longer in Lever)'));
    expect(screen.queryByLabelText(/Default export stage/, { selector: 'input' })).not.toBeInTheDocument();
  });
});

describe('the activity section', () => {
  const failedJob = {
    __typename: 'Job',
    id: 'job-f',
    kind: 'webhook.process',
    status: 'FAILED',
    attempts: 5,
    lastError: 'Lever answered 500 five times',
    updatedAt: new Date(Date.now() - 10 * 60_000).toISOString(),
    finishedAt: new Date(Date.now() - 10 * 60_000).toISOString(),
  };
  const delivery = {
    __typename: 'WebhookDelivery',
    id: 'del-1',
    event: 'candidateStageChange',
    opportunityId: 'opp-42',
    receivedAt: new Date(Date.now() - 3 * 60_000).toISOString(),
    result: 'FAILED',
    detail: 'no rule matched',
  };
  const busy = () =>
    leverActivity({
      leverConnection: {
        __typename: 'LeverConnection',
        id: 'conn-1',
        webhookStats: {
          __typename: 'WebhookStats',
          lastReceivedAt: delivery.receivedAt,
          lastEvent: 'candidateStageChange',
          lastDay: [
            { __typename: 'EventCount', event: 'candidateStageChange', count: 7 },
            { __typename: 'EventCount', event: 'applicationCreated', count: 2 },
          ],
        },
      },
      jobs: [failedJob],
      webhookDeliveries: [delivery],
    });

  it('shows the last event, counts per event, failed jobs and the webhook log', async () => {
    signedIn();
    const s = server({ LeverActivity: () => ({ data: busy() }) });
    renderApp('/integrations', s.fetch);
    expect(await screen.findByTestId('last-webhook')).toHaveTextContent('Last event received: Candidate stage change, 3 minutes ago');
    const counts = within(screen.getByRole('table', { name: 'Events in the last day' })).getAllByRole('row').slice(1);
    expect(counts.map((r) => r.textContent)).toEqual(['Candidate stage change7', 'Application created2']);
    expect(screen.getByRole('table', { name: 'Failed jobs' })).toHaveTextContent('Lever answered 500 five times');
    expect(screen.getByRole('table', { name: 'Webhook log' })).toHaveTextContent('Candidate stage changeopp-423 minutes agoFailedno rule matched');
    expect(requestsNamed(s, 'LeverActivity')[0]?.body.variables).toEqual({ connectionId: 'conn-1' });
  });

  it('says when nothing happened yet', async () => {
    signedIn();
    renderApp('/integrations', server().fetch);
    expect(await screen.findByTestId('last-webhook')).toHaveTextContent('No event received from Lever yet.');
    expect(screen.getByTestId('no-failed-jobs')).toBeInTheDocument();
    expect(screen.getByTestId('no-deliveries')).toBeInTheDocument();
  });

  it('retries a failed job and reloads the list', async () => {
    const user = signedIn();
    let retried = false;
    const s = server({
      LeverActivity: () => ({ data: retried ? leverActivity() : busy() }),
      RetryJob: () => {
        retried = true;
        return { data: { retryJob: { ...failedJob, status: 'QUEUED', attempts: 0 } } };
      },
    });
    renderApp('/integrations', s.fetch);
    const table = await screen.findByRole('table', { name: 'Failed jobs' });
    await user.click(within(table).getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('The job will run again shortly.')).toBeInTheDocument();
    expect(requestsNamed(s, 'RetryJob')[0]?.body.variables).toEqual({ id: 'job-f' });
    expect(await screen.findByTestId('no-failed-jobs')).toBeInTheDocument();
  });

  it('shows why a retry was refused', async () => {
    const user = signedIn();
    const s = server({
      LeverActivity: () => ({ data: busy() }),
      RetryJob: () => gqlError('only a FAILED job can be retried', 'CONFLICT'),
    });
    renderApp('/integrations', s.fetch);
    await user.click(within(await screen.findByRole('table', { name: 'Failed jobs' })).getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('only a FAILED job can be retried')).toBeInTheDocument();
  });

  it('replays a delivery', async () => {
    const user = signedIn();
    const s = server({
      LeverActivity: () => ({ data: busy() }),
      ReplayWebhook: () => ({ data: { replayWebhook: { __typename: 'Job', id: 'job-r', status: 'QUEUED' } } }),
    });
    renderApp('/integrations', s.fetch);
    await user.click(within(await screen.findByRole('table', { name: 'Webhook log' })).getByRole('button', { name: 'Replay' }));
    expect(await screen.findByText('The delivery will be processed again.')).toBeInTheDocument();
    expect(requestsNamed(s, 'ReplayWebhook')[0]?.body.variables).toEqual({ id: 'del-1' });
  });
});
