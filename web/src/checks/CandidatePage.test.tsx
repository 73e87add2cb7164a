import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import { tokenStore } from '../auth/tokenStore';
import { ME, fakeServer, gqlError } from '../test/fakeServer';
import { checkRow } from '../test/checks';
import { fakeJwt } from '../test/jwt';
import { leverConnection } from '../test/lever';
import { renderApp } from '../test/renderApp';

function candidate(overrides: Record<string, unknown> = {}) {
  return {
    __typename: 'CandidateObject',
    id: 'cand-1',
    name: 'Sam Candidate',
    emails: ['sam@cand.test'],
    phones: [{ __typename: 'CandidatePhone', type: 'mobile', value: '+46 70 123 45 67' }],
    projectId: 'proj-1',
    projectName: 'Robot Whisperer',
    leverOpportunityId: 'opp-1',
    purgedAt: null,
    createdAt: '2026-03-01T10:00:00Z',
    checks: [
      checkRow({ id: 'check-2', stepKind: 'REFERENCE_CHECK', status: 'AWAITING_REFEREES' }),
      checkRow({ id: 'check-1', status: 'COMPLETED' }),
    ],
    ...overrides,
  };
}

const base = {
  Me: () => ({ data: ME }),
  LeverConnection: () => ({ data: { leverConnection: leverConnection() } }),
};

describe('the candidate page', () => {
  it("shows the candidate's details and every check", async () => {
    tokenStore.set(fakeJwt());
    const s = fakeServer({ ...base, Candidate: () => ({ data: { candidate: candidate() } }) });
    renderApp('/candidates/cand-1', s.fetch);
    expect(await screen.findByRole('heading', { name: 'Sam Candidate' })).toBeInTheDocument();
    const facts = screen.getByTestId('candidate-facts');
    expect(within(facts).getByRole('link', { name: 'sam@cand.test' })).toHaveAttribute('href', 'mailto:sam@cand.test');
    expect(facts).toHaveTextContent('+46 70 123 45 67 (mobile)');
    expect(facts).toHaveTextContent('Robot Whisperer');
    expect(facts).toHaveTextContent('opp-1');
    const checks = screen.getByTestId('candidate-checks');
    const rows = within(checks).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent('Reference check');
    expect(rows[0]).toHaveTextContent('Awaiting referees');
    expect(within(rows[1]).getByRole('link', { name: 'Open' })).toHaveAttribute('href', '/checks/check-1');
    expect(s.requests.find((r) => r.body.operationName === 'Candidate')?.body.variables).toEqual({ id: 'cand-1' });
  });

  it('says when the personal data was deleted', async () => {
    tokenStore.set(fakeJwt());
    const s = fakeServer({
      ...base,
      Candidate: () => ({ data: { candidate: candidate({ name: '(deleted)', emails: [], phones: [], purgedAt: '2026-03-05T10:00:00Z' }) } }),
    });
    renderApp('/candidates/cand-1', s.fetch);
    expect(await screen.findByText('Personal data deleted')).toBeInTheDocument();
    expect(screen.getAllByText('None in Lever')).toHaveLength(2);
  });

  it('says so when the candidate is not there', async () => {
    tokenStore.set(fakeJwt());
    const s = fakeServer({ ...base, Candidate: () => gqlError('candidate not found', 'NOT_FOUND') });
    renderApp('/candidates/nope', s.fetch);
    expect(await screen.findByRole('alert')).toHaveTextContent('No such candidate');
  });
});
