import { useEffect, useState } from 'react';
import { useLocation, useSearchParams } from 'react-router';
import { Alert, Stack, Title } from '@mantine/core';
import { LeverTile } from './LeverTile';
import { parseOAuthCallback, withoutCallbackParams } from './oauthCallback';

/** Router state the shell's Reconnect button sets for API-key connections. */
export interface ReconnectState {
  reconnect?: 'apiKey';
}

export function IntegrationsPage() {
  const location = useLocation();
  const [searchParams, setSearchParams] = useSearchParams();
  // Read once: the address is cleaned right after, and the message stays.
  const [callback, setCallback] = useState(() => parseOAuthCallback(searchParams));

  useEffect(() => {
    if (parseOAuthCallback(searchParams)) {
      setSearchParams(withoutCallbackParams(searchParams), { replace: true, state: location.state });
    }
  }, [searchParams, setSearchParams, location.state]);

  const focusReconnect = (location.state as ReconnectState | null)?.reconnect === 'apiKey';

  return (
    <Stack>
      <Title order={2}>Integrations</Title>
      {callback?.kind === 'connected' && (
        <Alert color="green" title="Lever connected" withCloseButton onClose={() => setCallback(null)} data-testid="oauth-result">
          Vouch can now read from and write to Lever. Set up the webhooks below so Vouch hears about candidates.
        </Alert>
      )}
      {callback?.kind === 'error' && (
        <Alert color="red" role="alert" title="Lever was not connected" withCloseButton onClose={() => setCallback(null)} data-testid="oauth-result">
          {callback.message.charAt(0).toUpperCase() + callback.message.slice(1)}
        </Alert>
      )}
      <LeverTile focusReconnect={focusReconnect} />
    </Stack>
  );
}
