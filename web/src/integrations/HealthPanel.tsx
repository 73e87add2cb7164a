import { useEffect, useRef, useState } from 'react';
import { useMutation } from 'urql';
import { Alert, Badge, Button, Group, Stack, Text, Title } from '@mantine/core';
import type { JobFieldsFragment } from '../gql/graphql';
import { errorMessage } from '../graphql/errors';
import { CheckLeverConnectionMutation, RepairLeverConnectionMutation } from '../graphql/operations/leverHealth';
import { useStartLeverOAuth, type LeverConnection } from './hooks';
import { HEALTH_BADGES, healthLevel } from './labels';
import { relativeTime } from './relativeTime';
import { isRunning, useJob } from './useJob';

/**
 * What the tile shows as the connection's health. A REVOKED connection is
 * red whatever the last check said: the server does not check a connection
 * whose credentials Lever already refused.
 */
export function effectiveHealth(connection: LeverConnection) {
  if (connection.status === 'REVOKED') {
    return {
      level: 'RED' as const,
      reason: connection.statusReason ?? 'Lever refused Vouch’s credentials: reconnect',
      checkedAt: null,
    };
  }
  if (!connection.health) return null;
  return { ...connection.health, level: healthLevel(connection.health.level) };
}

/** OAuth credentials Lever no longer accepts are repaired by going through consent again. */
export const needsReconnect = (connection: LeverConnection) =>
  connection.authMode === 'OAUTH' && effectiveHealth(connection)?.level === 'RED';

/**
 * Repair: re-registers missing webhooks as a job, follows it, then checks
 * the connection again so the badge shows the outcome. For OAuth
 * credentials that fail it offers reconnecting instead (same connection).
 */
function Repair({ connection }: { connection: LeverConnection }) {
  const oauth = useStartLeverOAuth();
  const [{ fetching, error }, repair] = useMutation(RepairLeverConnectionMutation);
  const [check, runCheck] = useMutation(CheckLeverConnectionMutation);
  const [started, setStarted] = useState<JobFieldsFragment | null>(null);
  const job = useJob(started);
  const checkedJob = useRef<string | null>(null);

  useEffect(() => {
    if (!job || isRunning(job) || job.status !== 'DONE' || checkedJob.current === job.id) return;
    checkedJob.current = job.id;
    void runCheck({ connectionId: connection.id });
  }, [job, connection.id, runCheck]);

  if (needsReconnect(connection)) {
    return (
      <Stack gap="xs" align="flex-start">
        <Text size="sm">Lever no longer accepts Vouch’s sign-in. Reconnect to repair it; rules and history stay.</Text>
        <Button color="red" onClick={() => oauth.start(connection.dataCentre)} loading={oauth.starting}>
          Reconnect with Lever
        </Button>
        {oauth.error && (
          <Alert color="red" role="alert">
            {errorMessage(oauth.error)}
          </Alert>
        )}
      </Stack>
    );
  }

  // A revoked API key is reconnected with a new key (the form below the tile's details).
  if (connection.status === 'REVOKED') return null;

  const running = fetching || (job !== null && isRunning(job)) || check.fetching;
  async function onRepair() {
    setStarted(null);
    const result = await repair({ connectionId: connection.id });
    if (result.data) setStarted(result.data.repairLeverConnection);
  }
  const problem = error ?? check.error;
  return (
    <Stack gap="xs">
      <Group gap="sm">
        <Button variant="default" onClick={onRepair} loading={running}>
          Repair
        </Button>
        {running && (
          <Text size="sm" c="dimmed">
            {check.fetching ? 'Checking the connection again…' : 'Registering Vouch’s webhooks in Lever again…'}
          </Text>
        )}
        {!running && job?.status === 'DONE' && check.data && (
          <Text size="sm" role="status" data-testid="repair-result">
            Repaired; checked again: {check.data.checkLeverConnection.health?.reason ?? 'no result'}.
          </Text>
        )}
      </Group>
      {!running && (problem || job?.status === 'FAILED' || job?.status === 'PAUSED') && (
        <Alert color="red" role="alert" title="Repair failed">
          {problem
            ? errorMessage(problem)
            : job?.status === 'PAUSED'
              ? 'Lever refused Vouch’s access, so the repair waits: reconnect Lever to resume it.'
              : (job?.lastError ?? 'The repair failed.')}
        </Alert>
      )}
    </Stack>
  );
}

export interface HealthPanelProps {
  connection: LeverConnection;
  /** Check now (admins and up). */
  canCheck: boolean;
  /** Repair and reconnect (super admins). */
  canRepair: boolean;
}

/** The connection's health: a green/amber/red badge, why, when checked, and Check now / Repair. */
export function HealthPanel({ connection, canCheck, canRepair }: HealthPanelProps) {
  const [{ fetching, error }, check] = useMutation(CheckLeverConnectionMutation);
  const health = effectiveHealth(connection);
  const badge = health ? HEALTH_BADGES[health.level] : null;
  return (
    <Stack gap="xs" component="section" aria-labelledby="lever-health-title">
      <Title order={4} id="lever-health-title">
        Health
      </Title>
      <Group gap="sm" align="center">
        {badge && health ? (
          <>
            <Badge color={badge.color} size="lg" variant="filled" data-testid="lever-health" data-level={health.level}>
              {badge.label}
            </Badge>
            <Text size="sm" data-testid="lever-health-reason">
              {health.reason.charAt(0).toUpperCase() + health.reason.slice(1)}
            </Text>
            {health.checkedAt && (
              <Text size="sm" c="dimmed" title={new Date(health.checkedAt).toLocaleString()} data-testid="lever-health-checked">
                checked {relativeTime(health.checkedAt)}
              </Text>
            )}
          </>
        ) : (
          <Badge color="gray" size="lg" variant="light" data-testid="lever-health" data-level="NONE">
            Not checked yet
          </Badge>
        )}
      </Group>
      {(canCheck || canRepair) && (
        <Group gap="sm" align="flex-start">
          {canCheck && connection.status !== 'REVOKED' && (
            <Button variant="default" onClick={() => check({ connectionId: connection.id })} loading={fetching}>
              Check now
            </Button>
          )}
          {canRepair && <Repair connection={connection} />}
        </Group>
      )}
      {error && (
        <Alert color="red" role="alert" title="Check failed">
          {errorMessage(error)}
        </Alert>
      )}
    </Stack>
  );
}
