import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { tokenStore } from '../auth/tokenStore';
import { ME, fakeServer, gqlError, type Handler } from '../test/fakeServer';
import { PROJECTS, checkRow } from '../test/checks';
import { fakeJwt } from '../test/jwt';
import { leverConnection, meWithRole } from '../test/lever';
import { renderApp } from '../test/renderApp';
import { checkFilter } from './ChecksPage';

function server(handlers: Record<string, Handler>) {
  return fakeServer({
    Me: () => ({ data: ME }),
    LeverConnection: () => ({ data: { leverConnection: leverConnection() } }),
    Projects: () => ({ data: { projects: PROJECTS } }),
    ...handlers,
  });
}

const ROWS = [
  checkRow(),
  checkRow({
    id: 'check-2',
    status: 'BLOCKED',
    statusReason: 'no e-mail address in Lever',
    stepKind: 'REFERENCE_CHECK',
    candidateId: 'cand-2',
    candidateName: 'Nora Nomail',
    projectId: 'proj-2',
    writtenToLever: false,
  }),
  checkRow({ id: 'check-3', status: 'COMPLETED', candidateId: 'cand-3', candidateName: 'Cleo Done' }),
];

describe('the Checks page', () => {
  it('lists checks with their status, project, Lever state and links', async () => {
    tokenStore.set(fakeJwt());
    const s = server({ Checks: () => ({ data: { checks: ROWS } }) });
    renderApp('/checks', s.fetch);
    const rows = await screen.findAllByTestId('check-row');
    expect(rows).toHaveLength(3);
    const nora = rows[1];
    expect(within(nora).getByTestId('check-status')).toHaveTextContent('Action needed');
    expect(within(nora).getByText('no e-mail address in Lever')).toBeInTheDocument();
    expect(within(nora).getByText('Gearbox Tuner')).toBeInTheDocument();
    expect(within(nora).getByText('Reference check')).toBeInTheDocument();
    expect(within(nora).getByText('Pending')).toBeInTheDocument();
    expect(within(nora).getByRole('link', { name: 'Nora Nomail' })).toHaveAttribute('href', '/candidates/cand-2');
    expect(within(nora).getByRole('link', { name: 'Open' })).toHaveAttribute('href', '/checks/check-2');
    expect(within(rows[0]).getByText('Up to date')).toBeInTheDocument();
    // Open checks can be cancelled; a completed one cannot.
    expect(within(rows[0]).getByRole('button', { name: 'Cancel check' })).toBeInTheDocument();
    expect(within(rows[2]).queryByRole('button', { name: 'Cancel check' })).not.toBeInTheDocument();
    expect(s.requests.find((r) => r.body.operationName === 'Checks')?.body.variables).toEqual({ filter: {}, first: 200 });
  });

  it('filters by status, step, project and the candidate’s name', async () => {
    tokenStore.set(fakeJwt());
    const user = userEvent.setup();
    const s = server({ Checks: () => ({ data: { checks: ROWS } }) });
    renderApp('/checks', s.fetch);
    await screen.findAllByTestId('check-row');
    const filters = screen.getByTestId('check-filters');
    await user.click(within(filters).getAllByLabelText('Status')[0]);
    await user.click(await screen.findByRole('option', { name: 'Completed' }));
    await user.click(within(filters).getAllByLabelText('Step')[0]);
    await user.click(await screen.findByRole('option', { name: 'Self-assessment' }));
    await user.click(within(filters).getAllByLabelText('Project')[0]);
    await user.click(await screen.findByRole('option', { name: 'Robot Whisperer' }));
    await user.type(within(filters).getByLabelText('Candidate'), '  Cleo ');
    await waitFor(() =>
      expect(s.requests.filter((r) => r.body.operationName === 'Checks').at(-1)?.body.variables).toEqual({
        filter: { status: 'COMPLETED', stepKind: 'SELF_ASSESSMENT', projectId: 'proj-1', search: 'Cleo' },
        first: 200,
      }),
    );
    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    await waitFor(() =>
      expect(s.requests.filter((r) => r.body.operationName === 'Checks').at(-1)?.body.variables).toEqual({ filter: {}, first: 200 }),
    );
  }, 20_000);

  it('says when there are no checks yet, and when none match', async () => {
    tokenStore.set(fakeJwt());
    const user = userEvent.setup();
    const s = server({ Checks: () => ({ data: { checks: [] } }) });
    renderApp('/checks', s.fetch);
    expect(await screen.findByTestId('checks-empty')).toHaveTextContent('No checks yet');
    await user.type(screen.getByLabelText('Candidate'), 'zed');
    await waitFor(() => expect(screen.getByTestId('checks-empty')).toHaveTextContent('No checks match these filters'));
  });

  it('shows the error and tries again', async () => {
    tokenStore.set(fakeJwt());
    const user = userEvent.setup();
    let calls = 0;
    const s = server({
      Checks: () => (++calls === 1 ? gqlError('the database is unavailable; try again shortly', 'UNAVAILABLE') : { data: { checks: ROWS } }),
    });
    renderApp('/checks', s.fetch);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not load the checks');
    expect(alert).toHaveTextContent('the database is unavailable; try again shortly');
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findAllByTestId('check-row')).toHaveLength(3);
  });

  it('cancels an open check with a reason', async () => {
    tokenStore.set(fakeJwt());
    const user = userEvent.setup();
    let cancelled = false;
    const s = server({
      Checks: () => ({ data: { checks: cancelled ? [checkRow({ status: 'CANCELLED', statusReason: 'Role filled' })] : [checkRow()] } }),
      CancelCheck: ({ body }) => {
        cancelled = true;
        return { data: { cancelCheck: checkRow({ status: 'CANCELLED', statusReason: body.variables?.reason }) } };
      },
    });
    renderApp('/checks', s.fetch);
    await user.click(await screen.findByRole('button', { name: 'Cancel check' }));
    const confirm = await screen.findByRole('button', { name: 'Yes, cancel it' });
    expect(confirm).toBeDisabled();
    await user.type(screen.getByLabelText(/Reason/), '  Role filled ');
    await user.click(confirm);
    await waitFor(() => expect(screen.getByTestId('check-status')).toHaveTextContent('Cancelled'));
    expect(s.requests.find((r) => r.body.operationName === 'CancelCheck')?.body.variables).toEqual({
      id: 'check-1',
      reason: 'Role filled',
    });
  });

  it("shows the server's refusal of a cancellation", async () => {
    tokenStore.set(fakeJwt());
    const user = userEvent.setup();
    const s = server({
      Checks: () => ({ data: { checks: [checkRow()] } }),
      CancelCheck: () => gqlError('illegal change: the check is already completed', 'CONFLICT', { field: 'status' }),
    });
    renderApp('/checks', s.fetch);
    await user.click(await screen.findByRole('button', { name: 'Cancel check' }));
    await user.type(screen.getByLabelText(/Reason/), 'Oops');
    await user.click(screen.getByRole('button', { name: 'Yes, cancel it' }));
    expect(await screen.findByText('illegal change: the check is already completed')).toBeInTheDocument();
  });

  it('offers no cancelling to limited team members', async () => {
    tokenStore.set(fakeJwt());
    const s = server({ Me: () => ({ data: meWithRole('LIMITED_TEAM_MEMBER') }), Checks: () => ({ data: { checks: [checkRow()] } }) });
    renderApp('/checks', s.fetch);
    await screen.findAllByTestId('check-row');
    // The user menu shows the same `me` answer the page decides by.
    await screen.findByTestId('user-email');
    expect(screen.queryByRole('button', { name: 'Cancel check' })).not.toBeInTheDocument();
  });
});

describe('checkFilter', () => {
  it('leaves blank fields out and trims the search', () => {
    expect(checkFilter({ projectId: null, status: null, stepKind: null, search: '   ' })).toEqual({});
    expect(checkFilter({ projectId: 'p', status: 'SENT', stepKind: 'REFERENCE_CHECK', search: ' Ada ' })).toEqual({
      projectId: 'p',
      status: 'SENT',
      stepKind: 'REFERENCE_CHECK',
      search: 'Ada',
    });
  });
});
