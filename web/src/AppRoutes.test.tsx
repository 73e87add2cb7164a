import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { tokenStore } from './auth/tokenStore';
import { ME, fakeServer, gqlError } from './test/fakeServer';
import { fakeJwt } from './test/jwt';
import { renderApp } from './test/renderApp';

const NAV = ['Integrations', 'Rules', 'Templates', 'Checks', 'Settings'];

describe('the signed-in app', () => {
  it('redirects / to /integrations and shows the shell', async () => {
    tokenStore.set(fakeJwt());
    renderApp('/', fakeServer({ Me: () => ({ data: ME }) }).fetch);

    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/integrations'));
    const nav = screen.getByRole('navigation', { name: 'Main' });
    for (const label of NAV) expect(within(nav).getByRole('link', { name: label })).toBeInTheDocument();
    // Pages load as their own chunks: wait for the page itself.
    expect(await screen.findByRole('heading', { name: 'Integrations' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Lever' })).toBeInTheDocument();
    expect(await screen.findByTestId('user-email')).toHaveTextContent('admin@acme.test');
    expect(screen.getByTestId('organization-name')).toHaveTextContent('Acme');
  });

  it('moves between sections with the navigation', async () => {
    tokenStore.set(fakeJwt());
    renderApp('/integrations', fakeServer({ Me: () => ({ data: ME }) }).fetch);
    await userEvent.setup().click(screen.getByRole('link', { name: 'Rules' }));
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/rules'));
    expect(await screen.findByRole('heading', { name: 'Rules' })).toBeInTheDocument();
  });

  it('signs out back to /login', async () => {
    tokenStore.set(fakeJwt());
    renderApp('/checks', fakeServer({ Me: () => ({ data: ME }) }).fetch);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Sign out' }));
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/login'));
    expect(tokenStore.get()).toBeNull();
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeInTheDocument();
  });

  it('signs out when the server says the session is no longer valid', async () => {
    tokenStore.set(fakeJwt());
    renderApp('/rules', fakeServer({ Me: () => gqlError('Session expired', 'UNAUTHENTICATED') }).fetch);
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/login'));
    expect(tokenStore.get()).toBeNull();
    expect(await screen.findByText(/your session has ended/i)).toBeInTheDocument();
  });

  it('signs out on an HTTP 401', async () => {
    tokenStore.set(fakeJwt());
    renderApp('/rules', fakeServer({ Me: () => ({ status: 401, body: { message: 'unauthorized' } }) }).fetch);
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/login'));
    expect(tokenStore.get()).toBeNull();
  });

  it('keeps the session on other errors', async () => {
    tokenStore.set(fakeJwt());
    renderApp('/settings', fakeServer({
      Me: () => ({ data: ME }),
      Settings: () => gqlError('You may not see the users', 'FORBIDDEN'),
    }).fetch);
    expect(await screen.findByText('You may not see the users')).toBeInTheDocument();
    expect(screen.getByTestId('location')).toHaveTextContent('/settings');
    expect(tokenStore.get()).not.toBeNull();
  });
});

describe('unknown addresses', () => {
  it('show a not-found page inside the shell when signed in', async () => {
    tokenStore.set(fakeJwt());
    renderApp('/no/such/page', fakeServer({ Me: () => ({ data: ME }) }).fetch);
    expect(screen.getByRole('heading', { name: 'Page not found' })).toBeInTheDocument();
    expect(screen.getByRole('navigation', { name: 'Main' })).toBeInTheDocument();
  });

  it('show a not-found page without the shell when signed out', () => {
    renderApp('/no/such/page', fakeServer({}).fetch);
    expect(screen.getByRole('heading', { name: 'Page not found' })).toBeInTheDocument();
    expect(screen.queryByRole('navigation', { name: 'Main' })).not.toBeInTheDocument();
  });

  it('send a signed-out visitor of a real page to /login', () => {
    renderApp('/templates', fakeServer({}).fetch);
    expect(screen.getByTestId('location')).toHaveTextContent('/login');
  });
});
