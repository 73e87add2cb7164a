import { describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { tokenStore } from '../auth/tokenStore';
import { ME, fakeServer, gqlError } from '../test/fakeServer';
import { fakeJwt } from '../test/jwt';
import { LEVER_USERS, leverConnection, meWithRole } from '../test/lever';
import { renderApp } from '../test/renderApp';
import { browser } from './browser';

const tile = () => screen.getByRole('region', { name: 'Lever' });

function signedIn() {
  tokenStore.set(fakeJwt());
  return userEvent.setup();
}

describe('Lever tile without a connection', () => {
  it('offers OAuth for US and sends the browser to the URL the server answers', async () => {
    const user = signedIn();
    const assign = vi.spyOn(browser, 'assign').mockImplementation(() => {});
    const server = fakeServer({
      Me: () => ({ data: ME }),
      LeverConnection: () => ({ data: { leverConnection: null } }),
      StartLeverOAuth: () => ({ data: { startLeverOAuth: 'https://auth.lever.example/authorize?state=s1' } }),
    });
    renderApp('/integrations', server.fetch);

    const connect = await screen.findByRole('button', { name: 'Connect with Lever' });
    expect(screen.getByRole('radio', { name: /^US/ })).toBeChecked();
    expect(screen.getByRole('button', { name: 'Use an API key instead' })).toBeInTheDocument();
    expect(screen.queryByLabelText(/API key/)).not.toBeInTheDocument();

    await user.click(connect);
    await waitFor(() => expect(assign).toHaveBeenCalledWith('https://auth.lever.example/authorize?state=s1'));
    const start = server.requests.find((r) => r.body.operationName === 'StartLeverOAuth');
    expect(start?.body.variables).toEqual({ dataCentre: 'US' });
  });

  it('does not follow an answer that is not a web address', async () => {
    const user = signedIn();
    const assign = vi.spyOn(browser, 'assign').mockImplementation(() => {});
    const server = fakeServer({
      Me: () => ({ data: ME }),
      LeverConnection: () => ({ data: { leverConnection: null } }),
      StartLeverOAuth: () => ({ data: { startLeverOAuth: 'javascript:alert(1)' } }),
    });
    renderApp('/integrations', server.fetch);
    await user.click(await screen.findByRole('button', { name: 'Connect with Lever' }));
    await waitFor(() => expect(server.requests.some((r) => r.body.operationName === 'StartLeverOAuth')).toBe(true));
    expect(assign).not.toHaveBeenCalled();
  });

  it('starts sandbox OAuth for the sandbox and shows a server refusal', async () => {
    const user = signedIn();
    vi.spyOn(browser, 'assign').mockImplementation(() => {});
    const server = fakeServer({
      Me: () => ({ data: ME }),
      LeverConnection: () => ({ data: { leverConnection: null } }),
      StartLeverOAuth: () => gqlError('Lever OAuth is not configured on this server: connect with an API key instead', 'CONFLICT', { field: 'dataCentre' }),
    });
    renderApp('/integrations', server.fetch);
    await user.click(await screen.findByRole('radio', { name: /^Sandbox/ }));
    await user.click(screen.getByRole('button', { name: 'Connect with Lever' }));
    expect(await screen.findByText(/not configured on this server/)).toBeInTheDocument();
    const start = server.requests.find((r) => r.body.operationName === 'StartLeverOAuth');
    expect(start?.body.variables).toEqual({ dataCentre: 'SANDBOX' });
  });

  it('shows the API-key form for EU, with the key as a password field', async () => {
    const user = signedIn();
    const server = fakeServer({ Me: () => ({ data: ME }), LeverConnection: () => ({ data: { leverConnection: null } }) });
    renderApp('/integrations', server.fetch);
    await user.click(await screen.findByRole('radio', { name: /^EU/ }));

    const key = screen.getByLabelText(/^API key/);
    expect(key).toHaveAttribute('type', 'password');
    expect(screen.getByRole('button', { name: 'Connect' })).toBeDisabled();
    expect(screen.queryByRole('button', { name: 'Connect with Lever' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Connect with OAuth instead' })).not.toBeInTheDocument();
  });

  it('lists every permission a key lacks and what to do, and saves nothing', async () => {
    const user = signedIn();
    const server = fakeServer({
      Me: () => ({ data: ME }),
      LeverConnection: () => ({ data: { leverConnection: null } }),
      ConnectLeverWithApiKey: () => ({
        data: { connectLeverWithApiKey: { __typename: 'ApiKeyConnectPayload', connection: null, missingPermissions: ['Create a note', 'Add tags'] } },
      }),
    });
    renderApp('/integrations', server.fetch);
    await user.click(await screen.findByRole('radio', { name: /^EU/ }));
    await user.type(screen.getByLabelText(/^API key/), '  eu-key-123  ');
    await user.click(screen.getByRole('button', { name: 'Connect' }));

    const report = await screen.findByTestId('permission-report');
    expect(report).toHaveTextContent('Settings → Integrations and API → API Credentials, edit the key and enable');
    const items = within(within(report).getByRole('list', { name: 'Missing permissions' })).getAllByRole('listitem');
    expect(items.map((i) => i.textContent)).toEqual(['Create a note', 'Add tags']);
    const connect = server.requests.find((r) => r.body.operationName === 'ConnectLeverWithApiKey');
    expect(connect?.body.variables).toEqual({ dataCentre: 'EU', apiKey: 'eu-key-123' });
    expect(screen.queryByTestId('lever-status')).not.toBeInTheDocument();
  });

  it('puts field errors under the field the server names', async () => {
    const user = signedIn();
    let answer = gqlError('Lever does not accept this API key: check it was copied whole', 'BAD_USER_INPUT', { field: 'apiKey' });
    const server = fakeServer({
      Me: () => ({ data: ME }),
      LeverConnection: () => ({ data: { leverConnection: null } }),
      ConnectLeverWithApiKey: () => answer,
    });
    renderApp('/integrations', server.fetch);
    await user.click(await screen.findByRole('button', { name: 'Use an API key instead' }));
    const key = screen.getByLabelText(/^API key/);
    await user.type(key, 'bad-key');
    await user.click(screen.getByRole('button', { name: 'Connect' }));
    await waitFor(() => expect(key).toHaveAccessibleDescription(/does not accept this API key/));

    answer = gqlError("this key does not belong to Lever's US data centre", 'BAD_USER_INPUT', { field: 'dataCentre' });
    await user.click(screen.getByRole('button', { name: 'Connect' }));
    expect(await screen.findByText(/does not belong to Lever's US data centre/)).toBeInTheDocument();
    expect(key).not.toHaveAccessibleDescription(/does not accept/);
  });

  it('shows the connection once a key connects', async () => {
    const user = signedIn();
    let connection: ReturnType<typeof leverConnection> | null = null;
    const server = fakeServer({
      Me: () => ({ data: ME }),
      LeverConnection: () => ({ data: { leverConnection: connection } }),
      LeverUsers: () => ({ data: { leverUsers: [] } }),
      ConnectLeverWithApiKey: () => {
        connection = leverConnection({ authMode: 'API_KEY', dataCentre: 'EU' });
        return { data: { connectLeverWithApiKey: { __typename: 'ApiKeyConnectPayload', connection, missingPermissions: [] } } };
      },
    });
    renderApp('/integrations', server.fetch);
    await user.click(await screen.findByRole('radio', { name: /^EU/ }));
    await user.type(screen.getByLabelText(/^API key/), 'good-key');
    await user.click(screen.getByRole('button', { name: 'Connect' }));
    expect(await screen.findByTestId('lever-status')).toHaveTextContent('Connected');
    expect(within(tile()).getByRole('table', { name: 'Lever connection' })).toHaveTextContent('API key');
  });

  it('tells others that a super admin connects Lever', async () => {
    signedIn();
    const server = fakeServer({ Me: () => ({ data: meWithRole('ADMIN') }), LeverConnection: () => ({ data: { leverConnection: null } }) });
    renderApp('/integrations', server.fetch);
    expect(await screen.findByTestId('lever-not-connected')).toHaveTextContent('A super admin');
    expect(screen.queryByRole('button', { name: 'Connect with Lever' })).not.toBeInTheDocument();
    expect(screen.queryByRole('radio')).not.toBeInTheDocument();
  });
});

describe('Lever tile with a connection', () => {
  it('shows status, data centre, auth mode, last success and the webhook set-up', async () => {
    signedIn();
    const server = fakeServer({
      Me: () => ({ data: ME }),
      LeverConnection: () => ({ data: { leverConnection: leverConnection() } }),
      LeverUsers: () => ({ data: { leverUsers: LEVER_USERS } }),
    });
    renderApp('/integrations', server.fetch);

    expect(await screen.findByTestId('lever-status')).toHaveTextContent('Connected');
    const details = within(tile()).getByRole('table', { name: 'Lever connection' });
    expect(details).toHaveTextContent('Data centreUS');
    expect(details).toHaveTextContent('Connected withOAuth');
    expect(details).toHaveTextContent('5 minutes ago');
    expect(screen.getByLabelText('Webhook URL')).toHaveValue('https://vouch.example/webhooks/lever/conn-1');
    expect(screen.getByRole('button', { name: 'Copy webhook URL' })).toBeInTheDocument();
    const rows = within(screen.getByRole('table', { name: 'Webhook events' })).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.textContent)).toEqual([
      expect.stringContaining('applicationCreated'),
      expect.stringContaining('candidateStageChange'),
      expect.stringContaining('candidateArchiveChange'),
      expect.stringContaining('candidateHired'),
      expect.stringContaining('candidateDeleted'),
    ]);
    expect(screen.getByRole('button', { name: 'Refresh from Lever' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Disconnect' })).toBeInTheDocument();
    expect(screen.queryByTestId('revoked-banner')).not.toBeInTheDocument();
  });

  it('shows why a connection needs attention', async () => {
    signedIn();
    const server = fakeServer({
      Me: () => ({ data: ME }),
      LeverConnection: () => ({ data: { leverConnection: leverConnection({ status: 'NEEDS_ATTENTION', statusReason: 'Lever is rate limiting Vouch' }) } }),
      LeverUsers: () => ({ data: { leverUsers: [] } }),
    });
    renderApp('/integrations', server.fetch);
    expect(await screen.findByTestId('lever-status')).toHaveTextContent('Needs attention');
    expect(screen.getByTestId('lever-status-reason')).toHaveTextContent('Lever is rate limiting Vouch');
  });

  it('offers only active Lever users as the fallback and saves the pick', async () => {
    const user = signedIn();
    let fallbackUserId: unknown = null;
    const server = fakeServer({
      Me: () => ({ data: ME }),
      LeverConnection: () => ({ data: { leverConnection: leverConnection({ fallbackUserId }) } }),
      LeverUsers: () => ({ data: { leverUsers: LEVER_USERS } }),
      UpdateLeverConnection: ({ body }) => {
        fallbackUserId = body.variables?.fallbackUserId;
        return { data: { updateLeverConnection: leverConnection({ fallbackUserId }) } };
      },
    });
    renderApp('/integrations', server.fetch);
    const picker = await screen.findByLabelText(/Perform as/, { selector: 'input' });
    await user.click(picker);
    const options = await screen.findAllByRole('option');
    expect(options.map((o) => o.textContent)).toEqual(['Rita Recruiter (rita@acme.example)', 'Omar Owner (omar@acme.example)']);
    await user.click(screen.getByRole('option', { name: 'Omar Owner (omar@acme.example)' }));
    await waitFor(() => {
      const update = server.requests.find((r) => r.body.operationName === 'UpdateLeverConnection');
      expect(update?.body.variables).toEqual({ connectionId: 'conn-1', fallbackUserId: 'lu-4' });
    });
    await waitFor(() => expect(picker).toHaveValue('Omar Owner (omar@acme.example)'));
  });

  const job = (status: string, progressDone: number) => ({
    __typename: 'Job',
    id: 'job-1',
    kind: 'lever.catalogue_sync',
    status,
    lastError: null,
    progressDone,
    progressTotal: status === 'DONE' ? progressDone : null,
  });

  it('refreshes from Lever with a loader, then shows the counts', async () => {
    const user = signedIn();
    let finish: (value: unknown) => void = () => {};
    const server = fakeServer({
      Me: () => ({ data: ME }),
      LeverConnection: () => ({ data: { leverConnection: leverConnection() } }),
      LeverUsers: () => ({ data: { leverUsers: [] } }),
      RefreshLeverCatalogue: () => ({ data: { refreshLeverCatalogue: job('QUEUED', 0) } }),
      Job: () => new Promise((resolve) => (finish = resolve)),
    });
    renderApp('/integrations', server.fetch);
    await user.click(await screen.findByRole('button', { name: 'Refresh from Lever' }));
    expect(await screen.findByText(/Reading users, postings and stages/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Refresh from Lever' })).toHaveAttribute('data-loading', 'true');
    await waitFor(() => expect(server.requests.some((r) => r.body.operationName === 'Job')).toBe(true));
    finish({ data: { job: job('DONE', 16) } });
    expect(await screen.findByTestId('catalogue-counts')).toHaveTextContent(
      'Read 16 items (users, postings and stages) from Lever.',
    );
    expect(screen.queryByText(/Reading users, postings and stages/)).not.toBeInTheDocument();
  });

  it('reloads the Lever users after a refresh', async () => {
    const user = signedIn();
    let users: typeof LEVER_USERS = [];
    const server = fakeServer({
      Me: () => ({ data: ME }),
      LeverConnection: () => ({ data: { leverConnection: leverConnection() } }),
      LeverUsers: () => ({ data: { leverUsers: users } }),
      RefreshLeverCatalogue: () => ({ data: { refreshLeverCatalogue: job('QUEUED', 0) } }),
      Job: () => {
        users = LEVER_USERS;
        return { data: { job: job('DONE', 4) } };
      },
    });
    renderApp('/integrations', server.fetch);
    const picker = await screen.findByLabelText(/Perform as/, { selector: 'input' });
    expect(picker).toHaveAttribute('placeholder', expect.stringMatching(/refresh from Lever/));
    await user.click(screen.getByRole('button', { name: 'Refresh from Lever' }));
    await waitFor(() => expect(picker).toHaveAttribute('placeholder', 'Pick a Lever user'));
    await user.click(picker);
    expect(await screen.findAllByRole('option')).toHaveLength(2);
  });

  it('disconnects after confirming, then offers to connect again', async () => {
    const user = signedIn();
    let connection: ReturnType<typeof leverConnection> | null = leverConnection();
    const server = fakeServer({
      Me: () => ({ data: ME }),
      LeverConnection: () => ({ data: { leverConnection: connection } }),
      LeverUsers: () => ({ data: { leverUsers: [] } }),
      DisconnectLever: () => {
        connection = null;
        return { data: { disconnectLever: { __typename: 'LeverConnection', id: 'conn-1', status: 'DISCONNECTED' } } };
      },
    });
    renderApp('/integrations', server.fetch);
    await user.click(await screen.findByRole('button', { name: 'Disconnect' }));
    const dialog = await screen.findByRole('dialog', { name: 'Disconnect Lever?' });
    expect(server.requests.some((r) => r.body.operationName === 'DisconnectLever')).toBe(false);
    await user.click(within(dialog).getByRole('button', { name: 'Disconnect Lever' }));
    expect(await screen.findByRole('button', { name: 'Connect with Lever' })).toBeInTheDocument();
    const disconnect = server.requests.find((r) => r.body.operationName === 'DisconnectLever');
    expect(disconnect?.body.variables).toEqual({ connectionId: 'conn-1' });
  });

  it('cancelling the confirmation keeps the connection', async () => {
    const user = signedIn();
    const server = fakeServer({
      Me: () => ({ data: ME }),
      LeverConnection: () => ({ data: { leverConnection: leverConnection() } }),
      LeverUsers: () => ({ data: { leverUsers: [] } }),
    });
    renderApp('/integrations', server.fetch);
    await user.click(await screen.findByRole('button', { name: 'Disconnect' }));
    await user.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(server.requests.some((r) => r.body.operationName === 'DisconnectLever')).toBe(false);
  });

  it('is read-only for an admin: status and refresh, no disconnect, no picker', async () => {
    signedIn();
    const server = fakeServer({
      Me: () => ({ data: meWithRole('ADMIN') }),
      LeverConnection: () => ({ data: { leverConnection: leverConnection({ fallbackUserId: 'lu-1' }) } }),
      LeverUsers: () => ({ data: { leverUsers: LEVER_USERS } }),
    });
    renderApp('/integrations', server.fetch);
    expect(await screen.findByTestId('lever-status')).toHaveTextContent('Connected');
    await waitFor(() => expect(screen.getByTestId('fallback-user')).toHaveTextContent('Rita Recruiter'));
    expect(screen.getByRole('button', { name: 'Refresh from Lever' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Disconnect' })).not.toBeInTheDocument();
    expect(screen.queryByLabelText(/Perform as/, { selector: 'input' })).not.toBeInTheDocument();
  });

  it('shows a team member the status without any controls', async () => {
    signedIn();
    const server = fakeServer({
      Me: () => ({ data: meWithRole('TEAM_MEMBER') }),
      LeverConnection: () => ({ data: { leverConnection: leverConnection() } }),
      LeverUsers: () => ({ data: { leverUsers: [] } }),
    });
    renderApp('/integrations', server.fetch);
    expect(await screen.findByTestId('lever-status')).toHaveTextContent('Connected');
    expect(screen.queryByRole('button', { name: 'Refresh from Lever' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Disconnect' })).not.toBeInTheDocument();
  });
});
