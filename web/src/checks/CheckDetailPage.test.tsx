import { describe, expect, it, vi } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { tokenStore } from '../auth/tokenStore';
import { ME, fakeServer, gqlError, type Handler } from '../test/fakeServer';
import { PROJECTS, checkDetail } from '../test/checks';
import { fakeJwt } from '../test/jwt';
import { leverConnection, meWithRole } from '../test/lever';
import { renderApp } from '../test/renderApp';
import { oldestFirst } from './CheckDetailPage';

function server(handlers: Record<string, Handler>) {
  return fakeServer({
    Me: () => ({ data: ME }),
    LeverConnection: () => ({ data: { leverConnection: leverConnection() } }),
    ...handlers,
  });
}

describe('the check detail page', () => {
  it('shows the check, its referees, the report side by side and the timeline oldest first', async () => {
    tokenStore.set(fakeJwt());
    const s = server({ CheckDetail: () => ({ data: { check: checkDetail(), projects: PROJECTS } }) });
    renderApp('/checks/check-1', s.fetch);
    const page = await screen.findByTestId('check-detail');
    expect(within(page).getByRole('heading', { name: 'Sam Candidate' })).toBeInTheDocument();
    expect(within(page).getByTestId('check-status')).toHaveTextContent('Completed');
    const facts = within(page).getByTestId('check-facts');
    expect(within(facts).getByRole('link', { name: 'Sam Candidate' })).toHaveAttribute('href', '/candidates/cand-1');
    expect(facts).toHaveTextContent('Reference check');
    expect(facts).toHaveTextContent('English');
    expect(facts).toHaveTextContent('Robot Whisperer');
    expect(within(facts).getByTestId('lever-written')).toHaveTextContent('Shows this status');
    expect(facts).toHaveTextContent('Opportunity opp-1');

    const referees = within(page).getByTestId('referees-table');
    expect(within(referees).getByText('rita@refs.test')).toBeInTheDocument();
    expect(within(referees).getByText('Manager')).toBeInTheDocument();
    expect(within(referees).getAllByText(/^Answered/)).toHaveLength(2);

    const report = within(page).getByTestId('report-table');
    const headers = within(report).getAllByRole('columnheader').map((h) => h.textContent);
    expect(headers).toEqual(['Question', 'Rita Ref', 'Pete Peer', 'Average']);
    const rating = within(report).getByText('How would you rate the quality of their work?').closest('tr')!;
    expect(Array.from(rating.querySelectorAll('td')).map((td) => td.textContent)).toEqual([
      'How would you rate the quality of their work?',
      '5 / 5',
      '4 / 5',
      '4.5 / 5',
    ]);
    const again = within(report).getByText('Would you work with them again?').closest('tr')!;
    expect(Array.from(again.querySelectorAll('td')).map((td) => td.textContent)).toEqual([
      'Would you work with them again?',
      'Yes',
      'No',
      '',
    ]);

    const items = within(page).getAllByTestId('timeline-item');
    expect(items[0]).toHaveTextContent('started by the stage change');
    expect(items[0]).toHaveTextContent('Lever user');
    expect(items[1]).toHaveTextContent('every referee answered');
    expect(items[1]).toHaveTextContent('Pete Peer');
    // A completed check cannot be cancelled.
    expect(within(page).queryByRole('button', { name: 'Cancel check' })).not.toBeInTheDocument();
  });

  it('prints the report', async () => {
    tokenStore.set(fakeJwt());
    const print = vi.fn();
    vi.stubGlobal('print', print);
    const user = userEvent.setup();
    const s = server({ CheckDetail: () => ({ data: { check: checkDetail(), projects: PROJECTS } }) });
    renderApp('/checks/check-1', s.fetch);
    await user.click(await screen.findByRole('button', { name: 'Print' }));
    expect(print).toHaveBeenCalledTimes(1);
    // The buttons and the app's frame are marked to stay off paper.
    expect(screen.getByRole('button', { name: 'Print' }).closest('[data-print="hide"]')).not.toBeNull();
    expect(screen.getByRole('navigation', { name: 'Main' }).closest('[data-print="hide"]')).not.toBeNull();
    vi.unstubAllGlobals();
  });

  it('shows why an open check waits, offers cancelling, and an empty report', async () => {
    tokenStore.set(fakeJwt());
    const s = server({
      CheckDetail: () => ({
        data: {
          check: checkDetail({
            status: 'BLOCKED',
            statusReason: 'no e-mail address in Lever',
            stepKind: 'SELF_ASSESSMENT',
            writtenToLever: false,
            referees: [],
            report: [{ __typename: 'ReportQuestion', prompt: 'Q', type: 'TEXT', average: null, answers: [] }],
          }),
          projects: PROJECTS,
        },
      }),
    });
    renderApp('/checks/check-1', s.fetch);
    expect(await screen.findByTestId('status-reason')).toHaveTextContent('no e-mail address in Lever');
    expect(screen.getByTestId('lever-written')).toHaveTextContent('Not written yet');
    expect(screen.getByTestId('report-empty')).toBeInTheDocument();
    expect(screen.queryByTestId('referees-table')).not.toBeInTheDocument();
    expect(await screen.findByRole('button', { name: 'Cancel check' })).toBeInTheDocument();
  });

  it("links admins to the check's e-mails, and nobody else", async () => {
    tokenStore.set(fakeJwt());
    const answer = () => ({ data: { check: checkDetail(), projects: PROJECTS } });
    const admin = renderApp('/checks/check-1', server({ Me: () => ({ data: meWithRole('ADMIN') }), CheckDetail: answer }).fetch);
    expect(await screen.findByRole('link', { name: 'E-mails' })).toHaveAttribute('href', '/outbox?check=check-1');
    admin.unmount();

    renderApp('/checks/check-1', server({ Me: () => ({ data: meWithRole('TEAM_MEMBER') }), CheckDetail: answer }).fetch);
    await screen.findByTestId('check-detail');
    // The user menu shows the same `me` answer the page decides by.
    await screen.findByTestId('user-email');
    expect(screen.queryByRole('link', { name: 'E-mails' })).not.toBeInTheDocument();
  });

  it("says so when the check is not there (another company's, or no access)", async () => {
    tokenStore.set(fakeJwt());
    const s = server({ CheckDetail: () => gqlError('check not found', 'NOT_FOUND') });
    renderApp('/checks/nope', s.fetch);
    expect(await screen.findByRole('alert')).toHaveTextContent('No such check');
  });

  it('sends a signed-out visitor to sign in first, then back', async () => {
    const s = server({});
    renderApp('/checks/check-1', s.fetch);
    expect(await screen.findByTestId('location')).toHaveTextContent('/login');
  });
});

describe('oldestFirst', () => {
  it('sorts by time without changing the input', () => {
    const input = [{ at: '2026-01-02T00:00:00Z' }, { at: '2026-01-01T00:00:00Z' }];
    expect(oldestFirst(input).map((e) => e.at)).toEqual(['2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z']);
    expect(input[0].at).toBe('2026-01-02T00:00:00Z');
  });
});
