import { useMemo } from 'react';
import { useMutation, useQuery } from 'urql';
import { Alert, Badge, Button, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { WebhookResult } from '../gql/graphql';
import { errorMessage } from '../graphql/errors';
import { LeverActivityQuery, ReplayWebhookMutation, RetryJobMutation } from '../graphql/operations/leverHealth';
import { eventLabel } from './labels';
import { relativeTime } from './relativeTime';

const RESULT_BADGES: Record<WebhookResult, { label: string; color: string }> = {
  RECEIVED: { label: 'Received', color: 'blue' },
  PROCESSED: { label: 'Processed', color: 'green' },
  IGNORED: { label: 'Ignored', color: 'gray' },
  STALE: { label: 'Stale', color: 'gray' },
  FAILED: { label: 'Failed', color: 'red' },
};

function When({ iso }: { iso: string }) {
  return (
    <Text span size="sm" title={new Date(iso).toLocaleString()}>
      {relativeTime(iso)}
    </Text>
  );
}

function RetryButton({ id }: { id: string }) {
  const [{ fetching, error }, retry] = useMutation(RetryJobMutation);
  return (
    <Stack gap={4}>
      <Button
        size="compact-sm"
        variant="light"
        loading={fetching}
        onClick={async () => {
          const result = await retry({ id });
          if (result.data) notifications.show({ color: 'green', message: 'The job will run again shortly.' });
        }}
      >
        Retry
      </Button>
      {error && (
        <Text size="xs" c="red.8" role="alert">
          {errorMessage(error)}
        </Text>
      )}
    </Stack>
  );
}

function ReplayButton({ id }: { id: string }) {
  const [{ fetching, error }, replay] = useMutation(ReplayWebhookMutation);
  return (
    <Stack gap={4}>
      <Button
        size="compact-sm"
        variant="light"
        loading={fetching}
        onClick={async () => {
          const result = await replay({ id });
          if (result.data) notifications.show({ color: 'green', message: 'The delivery will be processed again.' });
        }}
      >
        Replay
      </Button>
      {error && (
        <Text size="xs" c="red.8" role="alert">
          {errorMessage(error)}
        </Text>
      )}
    </Stack>
  );
}

/**
 * What the connection has been doing, for admins: the last webhook, events
 * per type over the last day, jobs that gave up (with Retry), and the latest
 * deliveries (with Replay).
 */
export function ActivityPanel({ connectionId }: { connectionId: string }) {
  // Besides the types it lists, refetched after Send test (WebhookTestResult):
  // the test delivery is in the log by the time that mutation answers.
  const context = useMemo(
    () => ({ additionalTypenames: ['Job', 'WebhookDelivery', 'EventCount', 'WebhookTestResult'] }),
    [],
  );
  const [{ data, error, fetching }, reexecute] = useQuery({ query: LeverActivityQuery, variables: { connectionId }, context });
  const stats = data?.leverConnection?.webhookStats;
  const failed = data?.jobs ?? [];
  const deliveries = data?.webhookDeliveries ?? [];

  return (
    <Stack gap="sm" component="section" aria-labelledby="lever-activity-title">
      <Group justify="space-between">
        <Title order={4} id="lever-activity-title">
          Activity
        </Title>
        <Button size="compact-sm" variant="subtle" onClick={() => reexecute({ requestPolicy: 'network-only' })} loading={fetching && !!data}>
          Reload
        </Button>
      </Group>
      {error && (
        <Alert color="red" role="alert">
          {errorMessage(error)}
        </Alert>
      )}
      {!data && !error && <Loader size="sm" aria-label="Loading activity" />}
      {data && (
        <>
          <Text size="sm" data-testid="last-webhook">
            {stats?.lastReceivedAt ? (
              <>
                Last event received: {eventLabel(stats.lastEvent ?? 'unknown')}, <When iso={stats.lastReceivedAt} />
              </>
            ) : (
              'No event received from Lever yet.'
            )}
          </Text>
          {stats && stats.lastDay.length > 0 && (
            <Table withTableBorder maw={420} aria-label="Events in the last day">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Event (last 24 hours)</Table.Th>
                  <Table.Th ta="right">Count</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {stats.lastDay.map((c) => (
                  <Table.Tr key={c.event}>
                    <Table.Td>{eventLabel(c.event)}</Table.Td>
                    <Table.Td ta="right">{c.count}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}

          <Title order={5}>Failed jobs</Title>
          {failed.length === 0 ? (
            <Text size="sm" c="dimmed" data-testid="no-failed-jobs">
              No failed jobs.
            </Text>
          ) : (
            <Table withTableBorder aria-label="Failed jobs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Job</Table.Th>
                  <Table.Th>Error</Table.Th>
                  <Table.Th>Failed</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {failed.map((job) => (
                  <Table.Tr key={job.id}>
                    <Table.Td>
                      <Text span size="sm" ff="monospace">
                        {job.kind}
                      </Text>{' '}
                      <Text span size="xs" c="dimmed">
                        ({job.attempts} {job.attempts === 1 ? 'attempt' : 'attempts'})
                      </Text>
                    </Table.Td>
                    <Table.Td>{job.lastError ?? 'No error recorded'}</Table.Td>
                    <Table.Td>
                      <When iso={job.finishedAt ?? job.updatedAt} />
                    </Table.Td>
                    <Table.Td>
                      <RetryButton id={job.id} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}

          <Title order={5}>Webhook log</Title>
          {deliveries.length === 0 ? (
            <Text size="sm" c="dimmed" data-testid="no-deliveries">
              No deliveries yet.
            </Text>
          ) : (
            <Table withTableBorder aria-label="Webhook log">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Event</Table.Th>
                  <Table.Th>Opportunity</Table.Th>
                  <Table.Th>Received</Table.Th>
                  <Table.Th>Result</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {deliveries.map((d) => {
                  const badge = RESULT_BADGES[d.result];
                  return (
                    <Table.Tr key={d.id}>
                      <Table.Td>{eventLabel(d.event)}</Table.Td>
                      <Table.Td>
                        {d.opportunityId ? (
                          <Text span size="sm" ff="monospace">
                            {d.opportunityId}
                          </Text>
                        ) : (
                          <Text span size="sm" c="dimmed">
                            none
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <When iso={d.receivedAt} />
                      </Table.Td>
                      <Table.Td>
                        <Badge color={badge.color} variant="light">
                          {badge.label}
                        </Badge>
                        {d.detail && (
                          <Text size="xs" c="dimmed">
                            {d.detail}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <ReplayButton id={d.id} />
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          )}
        </>
      )}
    </Stack>
  );
}
