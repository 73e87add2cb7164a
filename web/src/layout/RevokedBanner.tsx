import { useNavigate } from 'react-router';
import { Alert, Button, Group, Text } from '@mantine/core';
import { errorMessage } from '../graphql/errors';
import { canManageLever, canSeeLever, useLeverConnection, useRole, useStartLeverOAuth } from '../integrations/hooks';
import type { ReconnectState } from '../integrations/IntegrationsPage';

/**
 * Across the top of every page while Lever has revoked Vouch's access: work
 * that needs Lever is stuck until someone reconnects. Super admins get the
 * Reconnect button (OAuth again, or the API-key form for key connections).
 */
export function RevokedBanner() {
  const role = useRole();
  const { connection } = useLeverConnection({ pause: !canSeeLever(role) });
  const oauth = useStartLeverOAuth();
  const navigate = useNavigate();

  if (!connection || connection.status !== 'REVOKED') return null;

  function reconnect() {
    if (!connection) return;
    if (connection.authMode === 'OAUTH') {
      void oauth.start(connection.dataCentre);
    } else {
      const state: ReconnectState = { reconnect: 'apiKey' };
      navigate('/integrations', { state });
    }
  }

  return (
    <Alert color="red" variant="filled" role="alert" title="Lever access was revoked" mb="md" data-testid="revoked-banner">
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Text size="sm">
          {connection.statusReason ?? 'Lever no longer accepts Vouch’s credentials: reconnect to resume.'}
          {!canManageLever(role) && ' Ask a super admin of your organization to reconnect Lever.'}
          {oauth.error && ` ${errorMessage(oauth.error)}`}
        </Text>
        {canManageLever(role) && (
          <Button variant="white" color="red" size="xs" onClick={reconnect} loading={oauth.starting}>
            Reconnect
          </Button>
        )}
      </Group>
    </Alert>
  );
}
