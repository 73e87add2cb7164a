import { Alert, Card, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { errorMessage } from '../graphql/errors';
import { ConnectLever } from './ConnectLever';
import { canManageLever, useLeverConnection, useRole } from './hooks';
import { LeverConnectionDetails } from './LeverConnectionDetails';

/**
 * The Lever tile: the connect form when there is no connection, otherwise
 * its health and settings. Only super admins get the controls that connect
 * and disconnect; everyone else sees the status read-only.
 */
export function LeverTile({ focusReconnect = false }: { focusReconnect?: boolean }) {
  const role = useRole();
  const { connection, loaded, error } = useLeverConnection();

  let body;
  if (error && !loaded) {
    body = (
      <Alert color="red" role="alert">
        {errorMessage(error)}
      </Alert>
    );
  } else if (!loaded || role === undefined) {
    body = <Loader aria-label="Loading" size="sm" />;
  } else if (connection) {
    body = <LeverConnectionDetails connection={connection} role={role} focusReconnect={focusReconnect} />;
  } else if (canManageLever(role)) {
    body = <ConnectLever />;
  } else {
    body = (
      <Text size="sm" data-testid="lever-not-connected">
        Lever is not connected. A super admin of your organization can connect it here.
      </Text>
    );
  }

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="lever-tile-title">
      <Stack gap="md">
        <Group justify="space-between">
          <Title order={3} id="lever-tile-title">
            Lever
          </Title>
        </Group>
        <Text size="sm" c="dimmed">
          Vouch reads postings, stages and candidates from Lever and writes results back as notes and tags.
        </Text>
        {body}
      </Stack>
    </Card>
  );
}
