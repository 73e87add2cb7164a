import { useEffect, useState } from 'react';
import { useClient, useMutation } from 'urql';
import { Alert, Button, Group, List, Progress, Stack, Text } from '@mantine/core';
import type { TagSyncJobFieldsFragment } from '../gql/graphql';
import { errorMessage } from '../graphql/errors';
import { SyncTemplateTagsMutation, TagSyncJobQuery } from '../graphql/operations/lever';

/** How often the job is polled while it runs. */
export const POLL_MS = 1000;

const finished = (job: TagSyncJobFieldsFragment) => job.status === 'DONE' || job.status === 'FAILED';

/**
 * "Sync template tags": starts the server's job that makes Lever's tag list
 * match the templates, polls it every second for its progress, and says
 * what changed and which postings still carry a stale tag (Vouch cannot
 * edit postings through Lever's API, so the admin removes those by hand).
 */
export function SyncTemplateTags({ connectionId }: { connectionId: string }) {
  const client = useClient();
  const [{ fetching, error }, start] = useMutation(SyncTemplateTagsMutation);
  const [job, setJob] = useState<TagSyncJobFieldsFragment | null>(null);
  const [pollError, setPollError] = useState<string | null>(null);
  const jobId = job?.id;
  const running = job !== null && !finished(job);

  useEffect(() => {
    if (!jobId || !running) return;
    const timer = setTimeout(() => {
      void client
        .query(TagSyncJobQuery, { id: jobId }, { requestPolicy: 'network-only' })
        .toPromise()
        .then((result) => {
          if (result.data) {
            setPollError(null);
            setJob(result.data.job);
          } else if (result.error) {
            setPollError(errorMessage(result.error));
          }
        });
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [client, jobId, running, job]);

  async function onSync() {
    setJob(null);
    setPollError(null);
    const result = await start({ connectionId });
    if (result.data) setJob(result.data.syncTemplateTags);
  }

  const total = job?.progressTotal ?? 0;
  const done = job?.progressDone ?? 0;
  const percent = job?.status === 'DONE' ? 100 : total > 0 ? Math.round((100 * done) / total) : 0;
  const report = job?.tagSync;

  return (
    <Stack gap="xs" data-testid="tag-sync">
      <Group gap="sm">
        <Button variant="default" onClick={onSync} loading={fetching || running}>
          Sync template tags
        </Button>
        <Text size="sm" c="dimmed">
          Makes one “Vouch Template: …” tag per active template exist in Lever.
        </Text>
      </Group>
      {job && (
        <Progress
          value={percent}
          animated={running}
          aria-label="Tag sync progress"
          data-testid="tag-sync-progress"
          data-value={percent}
        />
      )}
      {running && (
        <Text size="sm" c="dimmed" role="status">
          {total > 0 ? `Syncing: ${done} of ${total} steps…` : 'Waiting to start…'}
          {job.attempts > 1 && job.lastError ? ` (retrying after: ${job.lastError})` : ''}
        </Text>
      )}
      {job?.status === 'DONE' && report && (
        <Alert color="green" role="status" title="Template tags synced" data-testid="tag-sync-done">
          <Text size="sm">
            Lever lists {report.tags.length} template {report.tags.length === 1 ? 'tag' : 'tags'}
            {report.added.length + report.removed.length === 0
              ? '; nothing needed to change.'
              : `; added ${report.added.length}, removed ${report.removed.length}.`}
          </Text>
        </Alert>
      )}
      {job?.status === 'DONE' && report && report.affectedPostings.length > 0 && (
        <Alert color="yellow" title="Postings to fix in Lever" data-testid="tag-sync-affected">
          <Text size="sm">
            These postings still carry a tag of a renamed or archived template. Vouch cannot edit postings through
            Lever’s API: remove the tag in each posting’s settings in Lever (and pick the current template’s tag).
          </Text>
          <List size="sm" mt="xs">
            {report.affectedPostings.map((posting) => (
              <List.Item key={posting.postingId}>
                <strong>{posting.name}</strong>: {posting.staleTags.join(', ')}
              </List.Item>
            ))}
          </List>
        </Alert>
      )}
      {job?.status === 'FAILED' && (
        <Alert color="red" role="alert" title="Tag sync failed">
          {job.lastError ?? 'The sync failed.'}
        </Alert>
      )}
      {job?.status === 'PAUSED' && (
        <Alert color="yellow" role="alert" title="Tag sync paused">
          {job.lastError ?? 'Waiting for Lever to be reconnected.'}
        </Alert>
      )}
      {(error || pollError) && !fetching && (
        <Alert color="red" role="alert" title="Tag sync failed">
          {error ? errorMessage(error) : pollError}
        </Alert>
      )}
    </Stack>
  );
}
