import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { tokenStore } from '../auth/tokenStore';
import { ME, fakeServer } from '../test/fakeServer';
import { fakeJwt } from '../test/jwt';
import { leverConnection } from '../test/lever';
import { renderApp } from '../test/renderApp';

function job(overrides: Record<string, unknown>) {
  return {
    __typename: 'Job',
    id: 'job-1',
    status: 'QUEUED',
    attempts: 0,
    lastError: null,
    progressDone: null,
    progressTotal: null,
    tagSync: null,
    ...overrides,
  };
}

describe('Sync template tags', () => {
  it('polls the job, shows its progress, then the postings to fix in Lever', async () => {
    tokenStore.set(fakeJwt());
    const user = userEvent.setup();
    const polls = [
      job({ status: 'RUNNING', attempts: 1, progressDone: 2, progressTotal: 4 }),
      job({
        status: 'DONE',
        attempts: 1,
        progressDone: 4,
        progressTotal: 4,
        tagSync: {
          __typename: 'TagSyncReport',
          tags: ['Vouch Template: A', 'Vouch Template: B'],
          added: ['Vouch Template: B'],
          removed: ['Vouch Template: Old'],
          affectedPostings: [
            { __typename: 'TagSyncPosting', postingId: 'p-1', name: 'Robot Whisperer', staleTags: ['Vouch Template: Old'] },
          ],
          leftoverTags: [{ __typename: 'TagSyncLeftover', text: 'Vouch Template: Old', count: 1 }],
        },
      }),
    ];
    const server = fakeServer({
      Me: () => ({ data: ME }),
      LeverConnection: () => ({ data: { leverConnection: leverConnection() } }),
      LeverUsers: () => ({ data: { leverUsers: [] } }),
      SyncTemplateTags: () => ({ data: { syncTemplateTags: job({}) } }),
      TagSyncJob: () => ({ data: { job: polls.length > 1 ? polls.shift() : polls[0] } }),
    });
    renderApp('/integrations', server.fetch);

    // findByText first: querying by role re-walks the whole accessibility
    // tree on every DOM change while the lazily loaded page mounts.
    await screen.findByText('Sync template tags');
    await user.click(screen.getByRole('button', { name: 'Sync template tags' }));
    expect(server.requests.find((r) => r.body.operationName === 'SyncTemplateTags')?.body.variables).toEqual({
      connectionId: 'conn-1',
    });
    await waitFor(() => expect(screen.getByTestId('tag-sync-progress')).toHaveAttribute('data-value', '50'), {
      timeout: 3000,
    });
    expect(screen.getByText('Syncing: 2 of 4 steps…')).toBeInTheDocument();
    expect(await screen.findByTestId('tag-sync-done', {}, { timeout: 3000 })).toHaveTextContent(
      'Lever lists 2 template tags; added 1, removed 1.',
    );
    expect(screen.getByTestId('tag-sync-progress')).toHaveAttribute('data-value', '100');
    expect(screen.getByTestId('tag-sync-affected')).toHaveTextContent('Robot Whisperer: Vouch Template: Old');
    const pollsMade = server.requests.filter((r) => r.body.operationName === 'TagSyncJob').length;
    await new Promise((resolve) => setTimeout(resolve, 1300));
    expect(server.requests.filter((r) => r.body.operationName === 'TagSyncJob')).toHaveLength(pollsMade);
  }, 10_000);

  it("shows the job's error when it fails", async () => {
    tokenStore.set(fakeJwt());
    const user = userEvent.setup();
    const server = fakeServer({
      Me: () => ({ data: ME }),
      LeverConnection: () => ({ data: { leverConnection: leverConnection() } }),
      LeverUsers: () => ({ data: { leverUsers: [] } }),
      SyncTemplateTags: () => ({
        data: { syncTemplateTags: job({ status: 'FAILED', attempts: 1, lastError: 'choose a fallback Lever user' }) },
      }),
    });
    renderApp('/integrations', server.fetch);
    await user.click(await screen.findByRole('button', { name: 'Sync template tags' }));
    expect(await screen.findByText('choose a fallback Lever user')).toBeInTheDocument();
  });
});
