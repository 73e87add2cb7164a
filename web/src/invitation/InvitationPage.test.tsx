import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { tokenStore } from '../auth/tokenStore';
import { ME, fakeServer, gqlError } from '../test/fakeServer';
import { fakeJwt } from '../test/jwt';
import { leverConnection } from '../test/lever';
import { renderApp } from '../test/renderApp';
import { invitationProblems } from './InvitationPage';

const INVITATION = {
  __typename: 'Invitation',
  email: 'rita@acme.test',
  name: 'Rita Recruiter',
  organizationName: 'Acme',
  expiresAt: '2026-03-15T10:00:00Z',
};

describe('the invitation page', () => {
  it('sets a name and password, signs in and lands on the checks', async () => {
    const user = userEvent.setup();
    const session = fakeJwt({ sub: 'user-9' });
    let attempts = 0;
    const s = fakeServer({
      Invitation: () => ({ data: { invitation: INVITATION } }),
      AcceptInvitation: () =>
        ++attempts === 1
          ? gqlError('password: at least 10 characters', 'BAD_USER_INPUT', { field: 'password' })
          : {
              data: {
                acceptInvitation: {
                  __typename: 'LoginPayload',
                  token: session,
                  expiresAt: '2026-03-02T10:00:00Z',
                  user: { __typename: 'User', id: 'user-9', email: 'rita@acme.test' },
                },
              },
            },
      Me: () => ({ data: ME }),
      LeverConnection: () => ({ data: { leverConnection: leverConnection() } }),
      Checks: () => ({ data: { checks: [] } }),
      Projects: () => ({ data: { projects: [] } }),
    });
    renderApp('/invitation/inv-tok', s.fetch);
    expect(await screen.findByRole('heading', { name: 'Join Acme' })).toBeInTheDocument();
    expect(screen.getByLabelText('E-mail')).toHaveValue('rita@acme.test');
    const name = screen.getByLabelText(/^Name/);
    expect(name).toHaveValue('Rita Recruiter');

    // The page checks the length and the repetition before asking.
    await user.type(screen.getByLabelText(/^Password/), 'short');
    await user.click(screen.getByRole('button', { name: 'Join and sign in' }));
    expect(await screen.findByText('At least 10 characters')).toBeInTheDocument();
    await user.type(screen.getByLabelText(/^Password/), ' but long now');
    await user.type(screen.getByLabelText(/^Repeat password/), 'something else');
    await user.click(screen.getByRole('button', { name: 'Join and sign in' }));
    expect(await screen.findByText('The two passwords differ')).toBeInTheDocument();
    expect(s.requests.some((r) => r.body.operationName === 'AcceptInvitation')).toBe(false);

    await user.clear(screen.getByLabelText(/^Repeat password/));
    await user.type(screen.getByLabelText(/^Repeat password/), 'short but long now');
    await user.clear(name);
    await user.type(name, 'Rita R.');
    // The server's field error shows under its field.
    await user.click(screen.getByRole('button', { name: 'Join and sign in' }));
    expect(await screen.findByText('password: at least 10 characters')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Join and sign in' }));
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/checks'));
    expect(tokenStore.get()).toBe(session);
    expect(s.requests.filter((r) => r.body.operationName === 'AcceptInvitation').at(-1)?.body.variables).toEqual({
      token: 'inv-tok',
      name: 'Rita R.',
      password: 'short but long now',
    });
  }, 20_000);

  it('explains an expired invitation', async () => {
    const s = fakeServer({
      Invitation: () =>
        gqlError('this invitation expired on 2026-03-01; ask an admin of your company in Vouch to invite you again', 'EXPIRED'),
    });
    renderApp('/invitation/old', s.fetch);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('This invitation has expired');
    expect(alert).toHaveTextContent('invite you again');
  });

  it('explains an unknown and a used link', async () => {
    const s = fakeServer({ Invitation: () => gqlError('invitation not found', 'NOT_FOUND') });
    renderApp('/invitation/nope', s.fetch);
    expect(await screen.findByRole('alert')).toHaveTextContent('This invitation link does not work');
    expect(screen.getByRole('link', { name: 'Go to sign-in' })).toHaveAttribute('href', '/login');
  });
});

describe('invitationProblems', () => {
  it('wants a name, 10 characters and the same password twice', () => {
    expect(invitationProblems(' ', 'x', '')).toEqual({ name: 'Enter your name', password: 'At least 10 characters' });
    expect(invitationProblems('Rita', 'long enough pw', 'other')).toEqual({ repeat: 'The two passwords differ' });
    expect(invitationProblems('Rita', 'long enough pw', 'long enough pw')).toEqual({});
  });
});
