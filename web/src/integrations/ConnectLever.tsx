import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { Alert, Button, Group, PasswordInput, Radio, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { LeverDataCentre } from '../gql/graphql';
import { errorField, errorMessage } from '../graphql/errors';
import { ConnectLeverWithApiKeyMutation } from '../graphql/operations/lever';
import { useStartLeverOAuth } from './hooks';
import { DATA_CENTRE_LABELS } from './labels';
import { PermissionReport } from './PermissionReport';

type Method = 'oauth' | 'apiKey';

const DATA_CENTRES: { value: LeverDataCentre; description: string }[] = [
  { value: 'US', description: 'Lever accounts at hire.lever.co' },
  { value: 'EU', description: 'Lever accounts at hire.eu.lever.co (API key only)' },
  { value: 'SANDBOX', description: 'Lever’s sandbox for trying things out' },
];

/** Lever's EU data centre has no OAuth app: it connects with an API key. */
const oauthAvailable = (dc: LeverDataCentre) => dc !== 'EU';

export interface ConnectLeverProps {
  /** Preselected data centre; with `fixedDataCentre` it cannot be changed (reconnecting). */
  dataCentre?: LeverDataCentre;
  fixedDataCentre?: boolean;
  /** Start on the API-key form even where OAuth is available. */
  method?: Method;
  /** Put the cursor in the key field at once (arriving from the banner's Reconnect). */
  focusKey?: boolean;
  /** Called when the key connected; the connection query refreshes by itself. */
  onConnected?: () => void;
}

/**
 * Connecting Lever: pick the data centre, then OAuth (US, sandbox) or an API
 * key (any, and the only way for EU). A key that lacks permissions is not
 * saved; the report says which to enable.
 */
export function ConnectLever({ dataCentre: initial = 'US', fixedDataCentre = false, method: initialMethod = 'oauth', focusKey = false, onConnected }: ConnectLeverProps) {
  const [dataCentre, setDataCentre] = useState<LeverDataCentre>(initial);
  const [method, setMethod] = useState<Method>(initialMethod);
  const [apiKey, setApiKey] = useState('');
  const oauth = useStartLeverOAuth();
  const [connectResult, connect] = useMutation(ConnectLeverWithApiKeyMutation);
  const [missing, setMissing] = useState<string[]>([]);
  const [lastTried, setLastTried] = useState<Method | null>(null);

  const useOAuth = method === 'oauth' && oauthAvailable(dataCentre);
  const error = lastTried === 'oauth' ? oauth.error : lastTried === 'apiKey' ? connectResult.error : undefined;
  const field = errorField(error);
  const message = error ? errorMessage(error) : null;

  async function onConnectOAuth() {
    setLastTried('oauth');
    await oauth.start(dataCentre);
  }

  async function onSubmitKey(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setLastTried('apiKey');
    setMissing([]);
    const result = await connect({ dataCentre, apiKey: apiKey.trim() });
    const payload = result.data?.connectLeverWithApiKey;
    if (!payload) return;
    setMissing(payload.missingPermissions);
    if (payload.connection) {
      setApiKey('');
      notifications.show({ color: 'green', title: 'Lever connected', message: 'Vouch can now read from and write to Lever.' });
      onConnected?.();
    }
  }

  return (
    <Stack gap="md">
      <Radio.Group
        label="Lever data centre"
        description="Where your company’s Lever account lives"
        value={dataCentre}
        onChange={(value) => {
          setDataCentre(value as LeverDataCentre);
          setMissing([]);
        }}
        error={field === 'dataCentre' ? message : undefined}
      >
        <Group mt="xs" gap="xl">
          {DATA_CENTRES.map((dc) => (
            <Radio
              key={dc.value}
              value={dc.value}
              label={DATA_CENTRE_LABELS[dc.value]}
              description={dc.description}
              disabled={fixedDataCentre && dc.value !== dataCentre}
            />
          ))}
        </Group>
      </Radio.Group>

      {message && !field && (
        <Alert color="red" role="alert" title="Could not connect Lever">
          {message}
        </Alert>
      )}

      {useOAuth ? (
        <Group>
          <Button onClick={onConnectOAuth} loading={oauth.starting}>
            Connect with Lever
          </Button>
          <Button variant="subtle" onClick={() => setMethod('apiKey')}>
            Use an API key instead
          </Button>
        </Group>
      ) : (
        <form onSubmit={onSubmitKey} noValidate aria-label="Connect with an API key">
          <Stack gap="sm">
            <PasswordInput
              label="API key"
              description="In Lever: Settings → Integrations and API → API Credentials. Vouch probes every permission it needs before saving the key."
              autoComplete="off"
              required
              autoFocus={focusKey}
              value={apiKey}
              onChange={(e) => setApiKey(e.currentTarget.value)}
              error={field === 'apiKey' ? message : undefined}
              maw={480}
            />
            <Group>
              <Button type="submit" loading={connectResult.fetching} disabled={apiKey.trim() === ''}>
                Connect
              </Button>
              {oauthAvailable(dataCentre) && (
                <Button variant="subtle" onClick={() => setMethod('oauth')}>
                  Connect with OAuth instead
                </Button>
              )}
            </Group>
          </Stack>
        </form>
      )}

      {dataCentre === 'EU' && useOAuth === false && method === 'oauth' && (
        <Text size="sm" c="dimmed">
          Lever’s EU data centre connects with an API key.
        </Text>
      )}

      <PermissionReport missing={missing} />
    </Stack>
  );
}
