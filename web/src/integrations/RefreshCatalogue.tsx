import { useEffect, useState } from 'react';
import { useClient, useMutation } from 'urql';
import { Alert, Button, Group, Progress, Text } from '@mantine/core';
import type { JobFieldsFragment } from '../gql/graphql';
import { errorMessage } from '../graphql/errors';
import { LeverConnectionQuery, LeverUsersQuery, RefreshLeverCatalogueMutation } from '../graphql/operations/lever';
import { isRunning, useJob } from './useJob';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * Reads users, postings and stages from Lever again. The server does it as
 * a job; this follows the job's progress and, when it ends, reloads the
 * connection (a refresh may find access revoked) and the Lever users.
 */
export function RefreshCatalogue({ connectionId }: { connectionId: string }) {
  const client = useClient();
  const [{ fetching, error }, refresh] = useMutation(RefreshLeverCatalogueMutation);
  const [started, setStarted] = useState<JobFieldsFragment | null>(null);
  const job = useJob(started);
  const running = fetching || (job !== null && isRunning(job));

  useEffect(() => {
    if (!job || isRunning(job)) return;
    void client.query(LeverConnectionQuery, {}, { requestPolicy: 'network-only' }).toPromise();
    void client.query(LeverUsersQuery, { connectionId }, { requestPolicy: 'network-only' }).toPromise();
  }, [client, connectionId, job]);

  async function onRefresh() {
    setStarted(null);
    const result = await refresh({ connectionId });
    if (result.data) setStarted(result.data.refreshLeverCatalogue);
  }

  const done = job?.progressDone ?? 0;
  const total = job?.progressTotal ?? null;
  return (
    <div>
      <Group gap="sm">
        <Button variant="default" onClick={onRefresh} loading={running}>
          Refresh from Lever
        </Button>
        {running && (
          <Text size="sm" c="dimmed">
            Reading users, postings and stages from Lever… {done > 0 && `(${plural(done, 'item', 'items')} so far)`}
          </Text>
        )}
        {job?.status === 'DONE' && (
          <Text size="sm" c="green.8" role="status" data-testid="catalogue-counts">
            Read {plural(done, 'item', 'items')} (users, postings and stages) from Lever.
          </Text>
        )}
      </Group>
      {running && total !== null && total > 0 && (
        <Progress value={(100 * done) / total} mt="xs" aria-label="Refresh progress" />
      )}
      {(error || job?.status === 'FAILED' || job?.status === 'PAUSED') && !running && (
        <Alert color="red" role="alert" title="Refresh failed" mt="sm">
          {error
            ? errorMessage(error)
            : job?.status === 'PAUSED'
              ? 'Lever refused Vouch’s access, so the refresh is paused; reconnect Lever to resume it.'
              : (job?.lastError ?? 'The refresh failed.')}
        </Alert>
      )}
    </div>
  );
}
