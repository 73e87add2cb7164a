import { describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { tokenStore } from '../auth/tokenStore';
import { browser } from '../integrations/browser';
import { ME, fakeServer } from '../test/fakeServer';
import { fakeJwt } from '../test/jwt';
import { leverConnection, meWithRole } from '../test/lever';
import { renderApp } from '../test/renderApp';

const REASON = 'Lever refused Vouch’s credentials (access revoked in Lever, or the key was deleted): reconnect to resume';
const revoked = (overrides: Record<string, unknown> = {}) =>
  leverConnection({ status: 'REVOKED', statusReason: REASON, ...overrides });

describe('the revoked-access banner', () => {
  it('shows on every page and reconnects by OAuth in the same data centre', async () => {
    tokenStore.set(fakeJwt());
    const user = userEvent.setup();
    const assign = vi.spyOn(browser, 'assign').mockImplementation(() => {});
    const server = fakeServer({
      Me: () => ({ data: ME }),
      LeverConnection: () => ({ data: { leverConnection: revoked({ dataCentre: 'SANDBOX' }) } }),
      StartLeverOAuth: () => ({ data: { startLeverOAuth: 'https://sandbox.example/authorize?state=x' } }),
    });
    renderApp('/rules', server.fetch);
    const banner = await screen.findByTestId('revoked-banner');
    expect(banner).toHaveTextContent('Lever access was revoked');
    expect(banner).toHaveTextContent(REASON);
    await user.click(within(banner).getByRole('button', { name: 'Reconnect' }));
    await waitFor(() => expect(assign).toHaveBeenCalledWith('https://sandbox.example/authorize?state=x'));
    const start = server.requests.find((r) => r.body.operationName === 'StartLeverOAuth');
    expect(start?.body.variables).toEqual({ dataCentre: 'SANDBOX' });
  });

  it('opens the API-key form for a key connection', async () => {
    tokenStore.set(fakeJwt());
    const user = userEvent.setup();
    const server = fakeServer({
      Me: () => ({ data: ME }),
      LeverConnection: () => ({ data: { leverConnection: revoked({ authMode: 'API_KEY', dataCentre: 'EU' }) } }),
      LeverUsers: () => ({ data: { leverUsers: [] } }),
    });
    renderApp('/checks', server.fetch);
    await user.click(within(await screen.findByTestId('revoked-banner')).getByRole('button', { name: 'Reconnect' }));
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/integrations'));
    const key = await screen.findByLabelText(/^API key/);
    expect(key).toHaveFocus();
    expect(screen.getByRole('radio', { name: /^EU/ })).toBeChecked();
    expect(screen.getByRole('radio', { name: /^US/ })).toBeDisabled();
    expect(server.requests.some((r) => r.body.operationName === 'StartLeverOAuth')).toBe(false);
  });

  it('asks others to find a super admin, with no Reconnect button', async () => {
    tokenStore.set(fakeJwt());
    const server = fakeServer({
      Me: () => ({ data: meWithRole('TEAM_MEMBER') }),
      LeverConnection: () => ({ data: { leverConnection: revoked() } }),
    });
    renderApp('/rules', server.fetch);
    const banner = await screen.findByTestId('revoked-banner');
    expect(banner).toHaveTextContent('Ask a super admin');
    expect(within(banner).queryByRole('button')).not.toBeInTheDocument();
  });

  it('does not ask about Lever for a limited team member', async () => {
    tokenStore.set(fakeJwt());
    const server = fakeServer({
      Me: () => ({ data: meWithRole('LIMITED_TEAM_MEMBER') }),
      LeverConnection: () => ({ data: { leverConnection: revoked() } }),
    });
    renderApp('/rules', server.fetch);
    await screen.findByTestId('user-email');
    expect(server.requests.some((r) => r.body.operationName === 'LeverConnection')).toBe(false);
    expect(screen.queryByTestId('revoked-banner')).not.toBeInTheDocument();
  });

  it('stays away while the connection works', async () => {
    tokenStore.set(fakeJwt());
    const server = fakeServer({ Me: () => ({ data: ME }), LeverConnection: () => ({ data: { leverConnection: leverConnection() } }) });
    renderApp('/rules', server.fetch);
    await waitFor(() => expect(server.requests.some((r) => r.body.operationName === 'LeverConnection')).toBe(true));
    expect(screen.queryByTestId('revoked-banner')).not.toBeInTheDocument();
  });

  const JOB = {
    __typename: 'Job',
    id: 'job-1',
    kind: 'lever.catalogue_sync',
    lastError: null,
    progressDone: 0,
    progressTotal: null,
  };

  it('appears when a refresh finds access revoked', async () => {
    tokenStore.set(fakeJwt());
    const user = userEvent.setup();
    let connection = leverConnection();
    const server = fakeServer({
      Me: () => ({ data: ME }),
      LeverConnection: () => ({ data: { leverConnection: connection } }),
      LeverUsers: () => ({ data: { leverUsers: [] } }),
      RefreshLeverCatalogue: () => ({ data: { refreshLeverCatalogue: { ...JOB, status: 'QUEUED' } } }),
      Job: () => {
        connection = revoked();
        return { data: { job: { ...JOB, status: 'PAUSED' } } };
      },
    });
    renderApp('/integrations', server.fetch);
    await user.click(await screen.findByRole('button', { name: 'Refresh from Lever' }));
    expect(await screen.findByTestId('revoked-banner')).toHaveTextContent('Lever access was revoked');
    expect(screen.getByTestId('lever-status')).toHaveTextContent('Revoked');
    expect(screen.getByRole('button', { name: 'Reconnect with Lever' })).toBeInTheDocument();
    expect(screen.getByRole('alert', { name: /Refresh failed/ })).toHaveTextContent(/reconnect Lever to resume/);
  });
});
