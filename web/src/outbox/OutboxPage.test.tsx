import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { tokenStore } from '../auth/tokenStore';
import { POLL_MS } from '../checks/usePolling';
import { ME, fakeServer, gqlError, type Handler } from '../test/fakeServer';
import { fakeJwt } from '../test/jwt';
import { leverConnection, meWithRole } from '../test/lever';
import { renderApp } from '../test/renderApp';
import { filterEmails } from './OutboxPage';

function server(handlers: Record<string, Handler>) {
  return fakeServer({
    Me: () => ({ data: ME }),
    LeverConnection: () => ({ data: { leverConnection: leverConnection() } }),
    ...handlers,
  });
}

function email(overrides: Record<string, unknown> = {}) {
  return {
    __typename: 'OutboxEmail',
    id: 'mail-1',
    to: 'sam@candidates.test',
    subject: 'Acme asks for your self-assessment',
    body: 'Hello Sam,\n\nAcme would like your self-assessment. Answer here:\n\nhttps://vouch.test/respond/tok_SAM-1\n\nThanks.',
    kind: 'CANDIDATE_LINK',
    checkId: 'check-1',
    status: 'DELIVERED_TO_OUTBOX',
    attempts: 0,
    lastError: null,
    jobId: 'job-1',
    createdAt: '2026-03-02T10:00:00Z',
    sentAt: '2026-03-02T10:00:01Z',
    ...overrides,
  };
}

// Newest first, as the server answers.
const EMAILS = [
  email({
    id: 'mail-3',
    to: 'rita@refs.test',
    subject: 'Reference for Rae',
    body: 'Hello Rita,\n\n<b>bold?</b> <script>alert(1)</script> javascript:alert(2)\n\nhttps://vouch.test/respond/tok_RITA.',
    kind: 'REFEREE_REQUEST',
    checkId: 'check-2',
    status: 'FAILED',
    attempts: 10,
    lastError: '550 5.1.1 mailbox unavailable',
    jobId: 'job-3',
    createdAt: '2026-03-03T10:00:00Z',
    sentAt: null,
  }),
  email({
    id: 'mail-2',
    to: 'lee@acme.test',
    subject: 'You are invited to Vouch',
    body: 'Hello Lee,\n\nChoose a password: https://vouch.test/invitation/inv-1',
    kind: 'INVITATION',
    checkId: null,
    status: 'QUEUED',
    createdAt: '2026-03-02T11:00:00Z',
    sentAt: null,
  }),
  email(),
];

const outboxRequests = (s: ReturnType<typeof server>) => s.requests.filter((r) => r.body.operationName === 'Outbox');

describe('the outbox page', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('lists every e-mail newest first with its kind, status, attempts, error and check', async () => {
    tokenStore.set(fakeJwt());
    const s = server({ Outbox: () => ({ data: { outbox: EMAILS } }) });
    renderApp('/outbox', s.fetch);
    const rows = await screen.findAllByTestId('email-row');
    expect(rows.map((r) => within(r).getAllByRole('cell')[0].textContent)).toEqual([
      'rita@refs.test',
      'lee@acme.test',
      'sam@candidates.test',
    ]);
    const [rita, lee, sam] = rows;
    expect(within(rita).getByText('Referee request')).toBeInTheDocument();
    expect(within(rita).getByTestId('email-status')).toHaveTextContent('Failed');
    expect(within(rita).getByText('10')).toBeInTheDocument();
    expect(within(rita).getByText('550 5.1.1 mailbox unavailable')).toBeInTheDocument();
    expect(within(rita).getByRole('link', { name: 'Open check' })).toHaveAttribute('href', '/checks/check-2');
    expect(within(lee).getByText('Invitation')).toBeInTheDocument();
    expect(within(lee).getByTestId('email-status')).toHaveTextContent('Queued');
    expect(within(lee).queryByRole('link', { name: 'Open check' })).not.toBeInTheDocument();
    expect(within(sam).getByText('Candidate link')).toBeInTheDocument();
    expect(within(sam).getByTestId('email-status')).toHaveTextContent('In outbox');
    // What the outbox is, since the API does not say how this server delivers.
    expect(screen.getByTestId('outbox-about')).toHaveTextContent(/Without one, nothing leaves Vouch/);
    expect(outboxRequests(s)[0]?.body.variables).toEqual({ first: 200 });
    // Admins find the page in the navigation.
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(within(nav).getByRole('link', { name: 'E-mail' })).toHaveAttribute('href', '/outbox');
  });

  it('opens an e-mail with its body as text and only its web addresses as links', async () => {
    tokenStore.set(fakeJwt());
    const user = userEvent.setup();
    const s = server({ Outbox: () => ({ data: { outbox: EMAILS } }) });
    renderApp('/outbox', s.fetch);
    const rows = await screen.findAllByTestId('email-row');

    await user.click(within(rows[2]).getByRole('button', { name: 'Acme asks for your self-assessment' }));
    let detail = await screen.findByTestId('email-detail');
    expect(screen.getByRole('heading', { name: 'Acme asks for your self-assessment' })).toBeInTheDocument();
    const body = within(detail).getByTestId('email-body');
    expect(body.textContent).toBe(email().body);
    const link = within(body).getByRole('link', { name: 'https://vouch.test/respond/tok_SAM-1' });
    expect(link).toHaveAttribute('href', 'https://vouch.test/respond/tok_SAM-1');
    expect(link).toHaveAttribute('target', '_blank');
    expect(link).toHaveAttribute('rel', 'noopener noreferrer');
    expect(within(detail).getByText('sam@candidates.test')).toBeInTheDocument();
    expect(within(detail).getByRole('link', { name: 'Open check' })).toHaveAttribute('href', '/checks/check-1');
    await user.click(screen.getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(screen.queryByTestId('email-detail')).not.toBeInTheDocument());

    // Clicking anywhere on a row opens it too; markup in a body stays text.
    await user.click(within(rows[0]).getByText('rita@refs.test'));
    detail = await screen.findByTestId('email-detail');
    const ritaBody = within(detail).getByTestId('email-body');
    expect(ritaBody.textContent).toContain('<b>bold?</b> <script>alert(1)</script> javascript:alert(2)');
    expect(ritaBody.querySelector('b, script')).toBeNull();
    const links = within(ritaBody).getAllByRole('link');
    expect(links.map((a) => a.getAttribute('href'))).toEqual(['https://vouch.test/respond/tok_RITA']);
    expect(within(detail).getByTestId('email-last-error')).toHaveTextContent('550 5.1.1 mailbox unavailable');
  });

  it('sends a failed e-mail again through its job, and offers it for failed ones only', async () => {
    tokenStore.set(fakeJwt());
    const user = userEvent.setup();
    const s = server({
      Outbox: () => ({ data: { outbox: EMAILS } }),
      RetryJob: () => ({
        data: {
          retryJob: {
            __typename: 'Job',
            id: 'job-3',
            kind: 'email.send',
            status: 'QUEUED',
            attempts: 0,
            lastError: null,
            updatedAt: '2026-03-03T10:05:00Z',
            finishedAt: null,
          },
        },
      }),
    });
    renderApp('/outbox', s.fetch);
    const rows = await screen.findAllByTestId('email-row');

    await user.click(within(rows[2]).getByText('sam@candidates.test'));
    let detail = await screen.findByTestId('email-detail');
    expect(within(detail).queryByRole('button', { name: 'Send again' })).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(screen.queryByTestId('email-detail')).not.toBeInTheDocument());

    await user.click(within(rows[0]).getByText('rita@refs.test'));
    detail = await screen.findByTestId('email-detail');
    await user.click(within(detail).getByRole('button', { name: 'Send again' }));
    expect(await within(detail).findByRole('status')).toHaveTextContent('Queued');
    const retries = s.requests.filter((r) => r.body.operationName === 'RetryJob');
    expect(retries.map((r) => r.body.variables)).toEqual([{ id: 'job-3' }]);
  });

  it('filters by kind, status and recipient, and says when nothing matches', async () => {
    tokenStore.set(fakeJwt());
    const user = userEvent.setup();
    const s = server({ Outbox: () => ({ data: { outbox: EMAILS } }) });
    renderApp('/outbox', s.fetch);
    await screen.findAllByTestId('email-row');
    const filters = screen.getByTestId('outbox-filters');
    const recipients = () => screen.queryAllByTestId('email-row').map((r) => within(r).getAllByRole('cell')[0].textContent);

    await user.click(within(filters).getAllByLabelText('Kind')[0]);
    await user.click(await screen.findByRole('option', { name: 'Invitation' }));
    expect(recipients()).toEqual(['lee@acme.test']);

    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    await user.click(within(filters).getAllByLabelText('Status')[0]);
    await user.click(await screen.findByRole('option', { name: 'In outbox' }));
    expect(recipients()).toEqual(['sam@candidates.test']);

    await user.type(within(filters).getByLabelText('Recipient'), ' SAM@');
    expect(recipients()).toEqual(['sam@candidates.test']);
    await user.type(within(filters).getByLabelText('Recipient'), 'nobody');
    expect(screen.getByTestId('outbox-empty')).toHaveTextContent('No e-mails match these filters');

    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(recipients()).toHaveLength(3);
    // Filtering happens here: the server was asked the same thing every time.
    expect(new Set(outboxRequests(s).map((r) => JSON.stringify(r.body.variables)))).toEqual(new Set(['{"first":200}']));
  }, 20_000);

  it('shows one check’s e-mails from ?check= and can show them all again', async () => {
    tokenStore.set(fakeJwt());
    const user = userEvent.setup();
    const s = server({ Outbox: () => ({ data: { outbox: EMAILS } }) });
    renderApp('/outbox?check=check-2', s.fetch);
    const rows = await screen.findAllByTestId('email-row');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toHaveTextContent('rita@refs.test');
    const banner = screen.getByTestId('outbox-check-filter');
    expect(within(banner).getByRole('link', { name: 'Open the check' })).toHaveAttribute('href', '/checks/check-2');
    await user.click(within(banner).getByRole('button', { name: 'Show every check’s e-mails' }));
    expect(await screen.findAllByTestId('email-row')).toHaveLength(3);
    expect(screen.getByTestId('location-search')).toHaveTextContent('');
    expect(screen.queryByTestId('outbox-check-filter')).not.toBeInTheDocument();
  });

  it('says when there are no e-mails yet', async () => {
    tokenStore.set(fakeJwt());
    renderApp('/outbox', server({ Outbox: () => ({ data: { outbox: [] } }) }).fetch);
    expect(await screen.findByTestId('outbox-empty')).toHaveTextContent('No e-mails yet');
  });

  it('asks again every few seconds, so new e-mails appear by themselves', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    tokenStore.set(fakeJwt());
    let outbox = [email()];
    const s = server({ Outbox: () => ({ data: { outbox } }) });
    renderApp('/outbox', s.fetch);
    expect(await screen.findAllByTestId('email-row')).toHaveLength(1);
    outbox = EMAILS;
    await act(() => vi.advanceTimersByTimeAsync(POLL_MS));
    await waitFor(() => expect(screen.getAllByTestId('email-row')).toHaveLength(3));
    expect(outboxRequests(s).length).toBeGreaterThanOrEqual(2);
  });

  it('shows the error and tries again', async () => {
    tokenStore.set(fakeJwt());
    const user = userEvent.setup();
    let calls = 0;
    const s = server({
      Outbox: () =>
        ++calls === 1 ? gqlError('the database is unavailable; try again shortly', 'UNAVAILABLE') : { data: { outbox: EMAILS } },
    });
    renderApp('/outbox', s.fetch);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not load the e-mails');
    expect(alert).toHaveTextContent('the database is unavailable; try again shortly');
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findAllByTestId('email-row')).toHaveLength(3);
  });

  it('tells others the page is for admins, asks nothing and hides it from the navigation', async () => {
    tokenStore.set(fakeJwt());
    const s = server({ Me: () => ({ data: meWithRole('TEAM_MEMBER') }), Outbox: () => ({ data: { outbox: EMAILS } }) });
    renderApp('/outbox', s.fetch);
    expect(await screen.findByTestId('outbox-forbidden')).toHaveTextContent('Only admins of your organization');
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(within(nav).getByRole('link', { name: 'Checks' })).toBeInTheDocument();
    expect(within(nav).queryByRole('link', { name: 'E-mail' })).not.toBeInTheDocument();
    expect(outboxRequests(s)).toHaveLength(0);
    expect(screen.queryByTestId('email-row')).not.toBeInTheDocument();
  });
});

describe('filterEmails', () => {
  const all = [
    { kind: 'INVITATION', status: 'QUEUED', to: 'Lee@Acme.test', checkId: null },
    { kind: 'CANDIDATE_LINK', status: 'SENT', to: 'sam@c.test', checkId: 'c1' },
    { kind: 'REMINDER', status: 'SENT', to: 'sam@c.test', checkId: 'c2' },
  ];
  const none = { kind: null, status: null, search: '', checkId: null };

  it('keeps everything without filters and combines the ones set', () => {
    expect(filterEmails(all, none)).toEqual(all);
    expect(filterEmails(all, { ...none, status: 'SENT' })).toEqual(all.slice(1));
    expect(filterEmails(all, { ...none, status: 'SENT', kind: 'REMINDER' })).toEqual([all[2]]);
    expect(filterEmails(all, { ...none, checkId: 'c1' })).toEqual([all[1]]);
    expect(filterEmails(all, { ...none, search: '  lee@ACME ' })).toEqual([all[0]]);
    expect(filterEmails(all, { ...none, search: 'sam', kind: 'INVITATION' })).toEqual([]);
  });
});
