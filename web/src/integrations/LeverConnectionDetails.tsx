import { Alert, Badge, Button, CopyButton, Divider, Group, List, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { errorMessage } from '../graphql/errors';
import { ConnectLever } from './ConnectLever';
import { DisconnectLever } from './DisconnectLever';
import { FallbackUserPicker } from './FallbackUserPicker';
import { canManageLever, canRefreshLever, useStartLeverOAuth, type LeverConnection } from './hooks';
import { AUTH_MODE_LABELS, DATA_CENTRE_LABELS, STATUS_BADGES, WEBHOOK_EVENTS } from './labels';
import { RefreshCatalogue } from './RefreshCatalogue';
import { SyncTemplateTags } from './SyncTemplateTags';
import { relativeTime } from './relativeTime';
import type { Role } from '../gql/graphql';

export function StatusBadge({ connection }: { connection: LeverConnection }) {
  const badge = STATUS_BADGES[connection.status];
  return (
    <Badge color={badge.color} size="lg" variant="light" data-testid="lever-status">
      {badge.label}
    </Badge>
  );
}

function WebhookSetup({ url }: { url: string }) {
  return (
    <Stack gap="xs">
      <Title order={4}>Webhooks</Title>
      <TextInput
        label="Webhook URL"
        value={url}
        readOnly
        maw={640}
        data-testid="webhook-url"
        rightSectionWidth={84}
        rightSection={
          <CopyButton value={url} timeout={2000}>
            {({ copied, copy }) => (
              <Button size="compact-xs" variant="light" color={copied ? 'teal' : 'gray'} onClick={copy} aria-label={copied ? 'Copied' : 'Copy webhook URL'}>
                {copied ? 'Copied' : 'Copy'}
              </Button>
            )}
          </CopyButton>
        }
      />
      <Text size="sm">
        In Lever, Settings → Integrations and API → Webhooks, switch on these webhooks and give each this URL, so
        Vouch hears about candidates as they move:
      </Text>
      <List size="sm" aria-label="Webhooks to switch on">
        {WEBHOOK_EVENTS.map((w) => (
          <List.Item key={w.event}>
            {w.label} <Text span size="xs" c="dimmed" ff="monospace">({w.event})</Text>
          </List.Item>
        ))}
      </List>
    </Stack>
  );
}

/** Reconnecting a revoked connection the way it was made. */
function Reconnect({ connection, focusKey }: { connection: LeverConnection; focusKey: boolean }) {
  const oauth = useStartLeverOAuth();
  if (connection.authMode === 'API_KEY') {
    return (
      <Stack gap="xs">
        <Title order={4}>Reconnect with a new API key</Title>
        <ConnectLever dataCentre={connection.dataCentre} fixedDataCentre method="apiKey" focusKey={focusKey} />
      </Stack>
    );
  }
  return (
    <Stack gap="xs" align="flex-start">
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

export interface LeverConnectionDetailsProps {
  connection: LeverConnection;
  role: Role | undefined;
  /** Arrived from the banner's Reconnect: focus the key field. */
  focusReconnect?: boolean;
}

/** A connected (or troubled) Lever connection: health, webhook set-up, settings, actions. */
export function LeverConnectionDetails({ connection, role, focusReconnect = false }: LeverConnectionDetailsProps) {
  const manage = canManageLever(role);
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

      {connection.status === 'REVOKED' && manage && <Reconnect connection={connection} focusKey={focusReconnect} />}

      <WebhookSetup url={connection.webhookUrl} />
      <Divider />
      <FallbackUserPicker connection={connection} editable={manage} />
      {(canRefreshLever(role) || manage) && (
        <Group align="flex-start" justify="space-between">
          {canRefreshLever(role) && <RefreshCatalogue connectionId={connection.id} />}
          {manage && <DisconnectLever connectionId={connection.id} />}
        </Group>
      )}
      {canRefreshLever(role) && <SyncTemplateTags connectionId={connection.id} />}
    </Stack>
  );
}
