import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { Alert, Badge, Button, Checkbox, CopyButton, Group, List, PasswordInput, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { errorField, errorMessage } from '../graphql/errors';
import { SendLeverTestWebhookMutation, SetLeverWebhookTokenMutation } from '../graphql/operations/leverHealth';
import type { LeverConnection } from './hooks';
import { WEBHOOK_EVENTS, eventLabel } from './labels';

function WebhookUrl({ url }: { url: string }) {
  return (
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
  );
}

/** Per event: can Vouch verify its deliveries, and did Vouch register it. */
function WebhookTable({ connection }: { connection: LeverConnection }) {
  return (
    <Table withTableBorder maw={640} aria-label="Webhook events">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Event</Table.Th>
          <Table.Th>Verified</Table.Th>
          <Table.Th>Registered by Vouch</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {connection.webhooks.map((w) => (
          <Table.Tr key={w.event} data-testid={`webhook-${w.event}`}>
            <Table.Td>
              {eventLabel(w.event)}{' '}
              <Text span size="xs" c="dimmed" ff="monospace">
                ({w.event})
              </Text>
            </Table.Td>
            <Table.Td>
              {w.tokenConfigured ? (
                <Badge color="green" variant="light">Verified</Badge>
              ) : (
                <Badge color="orange" variant="light">No token</Badge>
              )}
            </Table.Td>
            <Table.Td>{w.registeredByVouch ? 'Yes' : 'No'}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** One signature-token field: `event` null stores the token for every event. */
function TokenField({ connectionId, event }: { connectionId: string; event: string | null }) {
  const [token, setToken] = useState('');
  const [{ fetching, error }, save] = useMutation(SetLeverWebhookTokenMutation);
  const field = errorField(error);
  const label = event ? `Signature token for ${eventLabel(event)}` : 'Signature token for all events';
  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const result = await save({ connectionId, event, token: token.trim() });
    if (result.data) {
      setToken('');
      notifications.show({ color: 'green', message: `${label} saved.` });
    }
  }
  // signingToken and event errors are about this field; anything else goes below it too.
  const message = error && (!field || field === 'signingToken' || field === 'event') ? errorMessage(error) : undefined;
  return (
    <form onSubmit={onSubmit} noValidate aria-label={label}>
      <Group align="flex-start" gap="sm">
        <PasswordInput
          label={label}
          autoComplete="off"
          value={token}
          onChange={(e) => setToken(e.currentTarget.value)}
          error={message}
          w={420}
        />
        <Button type="submit" mt={25} loading={fetching} disabled={token.trim() === ''}>
          Save
        </Button>
      </Group>
    </form>
  );
}

/** Set-up by hand in Lever, for when Vouch may not register the webhooks itself. */
function ManualSetup({ connection, editable }: { connection: LeverConnection; editable: boolean }) {
  const [oneForAll, setOneForAll] = useState(false);
  return (
    <Stack gap="xs" data-testid="webhooks-manual">
      <Text size="sm">
        Vouch may not register webhooks in your Lever account, so add them by hand: in Lever, Settings →
        Integrations and API → Webhooks, switch on these five webhooks and give each the webhook URL above:
      </Text>
      <List size="sm" aria-label="Webhooks to switch on">
        {WEBHOOK_EVENTS.map((w) => (
          <List.Item key={w.event}>
            {w.label}{' '}
            <Text span size="xs" c="dimmed" ff="monospace">
              ({w.event})
            </Text>
          </List.Item>
        ))}
      </List>
      <Text size="sm">
        Lever shows a signature token for each webhook. Paste each here so Vouch can check deliveries really come from
        Lever{editable ? '' : ' (a super admin can do this)'}.
      </Text>
      {editable && (
        <>
          <Checkbox
            label="One token for all events (Lever shows the same token for every webhook)"
            checked={oneForAll}
            onChange={(e) => setOneForAll(e.currentTarget.checked)}
          />
          {oneForAll ? (
            <TokenField connectionId={connection.id} event={null} />
          ) : (
            WEBHOOK_EVENTS.map((w) => <TokenField key={w.event} connectionId={connection.id} event={w.event} />)
          )}
        </>
      )}
    </Stack>
  );
}

/** Posts a signed test delivery to the webhook URL and says what happened. */
function SendTest({ connectionId }: { connectionId: string }) {
  const [{ fetching, data, error }, send] = useMutation(SendLeverTestWebhookMutation);
  const result = data?.sendLeverTestWebhook;
  return (
    <Stack gap="xs" align="flex-start">
      <Button variant="default" onClick={() => send({ connectionId })} loading={fetching}>
        Send test
      </Button>
      {!fetching && result && (
        <Alert
          color={result.ok ? 'green' : 'red'}
          role={result.ok ? 'status' : 'alert'}
          title={result.ok ? 'Test delivery accepted' : 'Test delivery failed'}
          data-testid="webhook-test-result"
        >
          {result.message.charAt(0).toUpperCase() + result.message.slice(1)}
        </Alert>
      )}
      {!fetching && error && (
        <Alert color="red" role="alert" title="Test delivery failed" data-testid="webhook-test-result">
          {errorMessage(error)}
        </Alert>
      )}
    </Stack>
  );
}

export interface WebhooksSectionProps {
  connection: LeverConnection;
  /** Paste tokens (super admins). */
  canSetTokens: boolean;
  /** Send test (admins and up). */
  canTest: boolean;
}

/** The webhook URL, the five events' state, manual set-up when needed, and Send test. */
export function WebhooksSection({ connection, canSetTokens, canTest }: WebhooksSectionProps) {
  return (
    <Stack gap="xs" component="section" aria-labelledby="lever-webhooks-title">
      <Title order={4} id="lever-webhooks-title">
        Webhooks
      </Title>
      <WebhookUrl url={connection.webhookUrl} />
      {!connection.webhooksManual && (
        <Text size="sm" c="dimmed">
          Vouch registers these webhooks in Lever itself; Repair registers any that went missing.
        </Text>
      )}
      <WebhookTable connection={connection} />
      {connection.webhooksManual && <ManualSetup connection={connection} editable={canSetTokens} />}
      {canTest && <SendTest connectionId={connection.id} />}
    </Stack>
  );
}
