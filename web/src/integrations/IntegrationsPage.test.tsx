import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import { tokenStore } from '../auth/tokenStore';
import { ME, fakeServer } from '../test/fakeServer';
import { fakeJwt } from '../test/jwt';
import { leverConnection } from '../test/lever';
import { renderApp } from '../test/renderApp';

function server() {
  return fakeServer({
    Me: () => ({ data: ME }),
    LeverConnection: () => ({ data: { leverConnection: leverConnection() } }),
    LeverUsers: () => ({ data: { leverUsers: [] } }),
  });
}

describe('the OAuth callback on the Integrations page', () => {
  it('says Lever connected, then cleans the address', async () => {
    tokenStore.set(fakeJwt());
    renderApp('/integrations?lever=connected&connection=conn-1', server().fetch);
    expect(await screen.findByTestId('oauth-result')).toHaveTextContent('Lever connected');
    await waitFor(() => expect(screen.getByTestId('location-search')).toHaveTextContent(/^$/));
    expect(screen.getByTestId('oauth-result')).toBeInTheDocument();
    expect(await screen.findByTestId('lever-status')).toHaveTextContent('Connected');
  });

  it("shows the server's message for a failure, then cleans the address", async () => {
    tokenStore.set(fakeJwt());
    renderApp('/integrations?lever_error=denied&message=access+was+denied+in+Lever%3A+nothing+was+connected', server().fetch);
    const alert = await screen.findByTestId('oauth-result');
    expect(alert).toHaveTextContent('Lever was not connected');
    expect(alert).toHaveTextContent('Access was denied in Lever: nothing was connected');
    await waitFor(() => expect(screen.getByTestId('location-search')).toHaveTextContent(/^$/));
    expect(screen.getByTestId('oauth-result')).toBeInTheDocument();
  });

  it('keeps other parameters and shows nothing without callback ones', async () => {
    tokenStore.set(fakeJwt());
    renderApp('/integrations?tab=lever', server().fetch);
    await screen.findByTestId('lever-status');
    expect(screen.queryByTestId('oauth-result')).not.toBeInTheDocument();
    expect(screen.getByTestId('location-search')).toHaveTextContent('?tab=lever');
  });
});
