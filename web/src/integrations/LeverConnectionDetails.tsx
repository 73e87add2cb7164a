import { Badge, Divider, Group, Stack, Table, Text, Title } from '@mantine/core';
import { ActivityPanel } from './ActivityPanel';
import { ConnectLever } from './ConnectLever';
import { DisconnectLever } from './DisconnectLever';
import { ExportStagePicker } from './ExportStagePicker';
import { FallbackUserPicker } from './FallbackUserPicker';
import { HealthPanel } from './HealthPanel';
import { canManageLever, canRefreshLever, type LeverConnection } from './hooks';
import { AUTH_MODE_LABELS, DATA_CENTRE_LABELS, STATUS_BADGES } from './labels';
import { RefreshCatalogue } from './RefreshCatalogue';
import { SyncTemplateTags } from './SyncTemplateTags';
import { relativeTime } from './relativeTime';
import { WebhooksSection } from './WebhooksSection';
import type { Role } from '../gql/graphql';

export function StatusBadge({ connection }: { connection: LeverConnection }) {
  const badge = STATUS_BADGES[connection.status];
  return (
    <Badge color={badge.color} size="lg" variant="light" data-testid="lever-status">
      {badge.label}
    </Badge>
  );
}

/**
 * Reconnecting a revoked API-key connection with a new key. (A revoked
 * OAuth connection is reconnected from the health panel's Repair.)
 */
function ReconnectWithKey({ connection, focusKey }: { connection: LeverConnection; focusKey: boolean }) {
  return (
    <Stack gap="xs">
      <Title order={4}>Reconnect with a new API key</Title>
      <ConnectLever dataCentre={connection.dataCentre} fixedDataCentre method="apiKey" focusKey={focusKey} />
    </Stack>
  );
}

export interface LeverConnectionDetailsProps {
  connection: LeverConnection;
  role: Role | undefined;
  /** Arrived from the banner's Reconnect: focus the key field. */
  focusReconnect?: boolean;
}

/** A connected (or troubled) Lever connection: status, health, webhook set-up, settings, actions, activity. */
export function LeverConnectionDetails({ connection, role, focusReconnect = false }: LeverConnectionDetailsProps) {
  const manage = canManageLever(role);
  // Check now, Send test, Refresh and the activity are for admins and up.
  const admin = canRefreshLever(role);
  return (
    <Stack gap="md">
      <Group gap="sm">
        <StatusBadge connection={connection} />
        {connection.statusReason && connection.status !== 'CONNECTED' && (
          <Text size="sm" c={connection.status === 'REVOKED' ? 'red.8' : 'yellow.9'} data-testid="lever-status-reason">
            {connection.statusReason}
          </Text>
        )}
      </Group>
      <Table variant="vertical" withTableBorder maw={640} aria-label="Lever connection">
        <Table.Tbody>
          <Table.Tr>
            <Table.Th w={200}>Data centre</Table.Th>
            <Table.Td>{DATA_CENTRE_LABELS[connection.dataCentre]}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>Connected with</Table.Th>
            <Table.Td>{AUTH_MODE_LABELS[connection.authMode]}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>Last successful call</Table.Th>
            <Table.Td>
              {connection.lastSuccessAt ? (
                <Text span size="sm" title={new Date(connection.lastSuccessAt).toLocaleString()}>
                  {relativeTime(connection.lastSuccessAt)}
                </Text>
              ) : (
                'Not yet'
              )}
            </Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>

      <HealthPanel connection={connection} canCheck={admin} canRepair={manage} />
      {connection.status === 'REVOKED' && connection.authMode === 'API_KEY' && manage && (
        <ReconnectWithKey connection={connection} focusKey={focusReconnect} />
      )}

      <WebhooksSection connection={connection} canSetTokens={manage} canTest={admin} />
      <Divider />
      <FallbackUserPicker connection={connection} editable={manage} />
      <ExportStagePicker connection={connection} editable={manage} />
      {(admin || manage) && (
        <Group align="flex-start" justify="space-between">
          {admin && <RefreshCatalogue connectionId={connection.id} />}
          {manage && <DisconnectLever connectionId={connection.id} />}
        </Group>
      )}
      {canRefreshLever(role) && <SyncTemplateTags connectionId={connection.id} />}
      {admin && (
        <>
          <Divider />
          <ActivityPanel connectionId={connection.id} />
        </>
      )}
    </Stack>
  );
}
