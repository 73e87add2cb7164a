import { useState } from 'react';
import { useMutation } from 'urql';
import { Alert, Button, Group, Text } from '@mantine/core';
import type { RefreshLeverCatalogueMutation as RefreshResult } from '../gql/graphql';
import { errorMessage } from '../graphql/errors';
import { RefreshLeverCatalogueMutation } from '../graphql/operations/lever';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** Reads users, postings and stages from Lever again and says how many. */
export function RefreshCatalogue({ connectionId }: { connectionId: string }) {
  const [{ fetching, error }, refresh] = useMutation(RefreshLeverCatalogueMutation);
  const [counts, setCounts] = useState<RefreshResult['refreshLeverCatalogue'] | null>(null);

  async function onRefresh() {
    setCounts(null);
    // The refresh may change the connection (revoked, last success) and the
    // users: both queries refetch whatever the outcome.
    const result = await refresh({ connectionId }, { additionalTypenames: ['LeverConnection', 'LeverUser'] });
    if (result.data) setCounts(result.data.refreshLeverCatalogue);
  }

  return (
    <div>
      <Group gap="sm">
        <Button variant="default" onClick={onRefresh} loading={fetching}>
          Refresh from Lever
        </Button>
        {fetching && (
          <Text size="sm" c="dimmed">
            Reading users, postings and stages from Lever…
          </Text>
        )}
        {counts && !fetching && (
          <Text size="sm" c="green.8" role="status" data-testid="catalogue-counts">
            Read {plural(counts.users, 'user', 'users')}, {plural(counts.postings, 'posting', 'postings')} and{' '}
            {plural(counts.stages, 'stage', 'stages')} from Lever.
          </Text>
        )}
      </Group>
      {error && !fetching && (
        <Alert color="red" role="alert" title="Refresh failed" mt="sm">
          {errorMessage(error)}
        </Alert>
      )}
    </div>
  );
}
