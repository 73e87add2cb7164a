import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { tokenStore } from '../auth/tokenStore';
import { ME, fakeServer, gqlError } from '../test/fakeServer';
import { fakeJwt } from '../test/jwt';
import { renderApp } from '../test/renderApp';

async function signIn(email: string, password: string) {
  const user = userEvent.setup();
  await user.type(screen.getByLabelText(/^e-mail/i, { selector: 'input' }), email);
  await user.type(screen.getByLabelText(/^password/i, { selector: 'input' }), password);
  await user.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('LoginPage', () => {
  it("shows the server's message for a wrong password and stays on /login", async () => {
    const server = fakeServer({
      Login: () => gqlError('Wrong e-mail or password', 'UNAUTHENTICATED'),
    });
    renderApp('/login', server.fetch);
    await signIn('admin@acme.test', 'nope');

    expect(await screen.findByRole('alert')).toHaveTextContent('Wrong e-mail or password');
    expect(screen.getByTestId('location')).toHaveTextContent('/login');
    expect(tokenStore.get()).toBeNull();
    expect(server.requests[0].body.variables).toEqual({ email: 'admin@acme.test', password: 'nope' });
  });

  it('shows TOO_MANY_ATTEMPTS as the server words it', async () => {
    const server = fakeServer({
      Login: () => gqlError('Too many attempts, try again in 5 minutes', 'TOO_MANY_ATTEMPTS'),
    });
    renderApp('/login', server.fetch);
    await signIn('admin@acme.test', 'nope');
    expect(await screen.findByRole('alert')).toHaveTextContent('Too many attempts, try again in 5 minutes');
  });

  it('puts a BAD_USER_INPUT message under the field it names', async () => {
    const server = fakeServer({
      Login: () => gqlError('email: expected an e-mail address', 'BAD_USER_INPUT', { field: 'email' }),
    });
    renderApp('/login', server.fetch);
    await signIn('admin', 'pw');
    expect(await screen.findByText('email: expected an e-mail address')).toBeInTheDocument();
    expect(screen.getByLabelText(/^e-mail/i, { selector: 'input' })).toHaveAttribute('aria-invalid', 'true');
  });

  it('stores the token and opens the app on success', async () => {
    const token = fakeJwt();
    const server = fakeServer({
      Login: () => ({
        data: {
          login: {
            __typename: 'LoginPayload',
            token,
            expiresAt: '2030-01-01T00:00:00Z',
            user: { __typename: 'User', id: 'user-1', email: 'admin@acme.test' },
          },
        },
      }),
      Me: () => ({ data: ME }),
    });
    renderApp('/login', server.fetch);
    await signIn('admin@acme.test', 'correct horse battery');

    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/integrations'));
    expect(tokenStore.get()).toBe(token);
    expect(await screen.findByTestId('user-email')).toHaveTextContent('admin@acme.test');
    const meRequest = server.requests.find((r) => r.body.operationName === 'Me');
    expect(meRequest?.headers.get('authorization')).toBe(`Bearer ${token}`);
  });

  it('sends a signed-in user on to the app', async () => {
    tokenStore.set(fakeJwt());
    renderApp('/login', fakeServer({ Me: () => ({ data: ME }) }).fetch);
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/integrations'));
  });
});
