import { Alert, List, Text } from '@mantine/core';

/**
 * What an API key lacks, by the names Lever's API key screen uses, and where
 * to switch them on. Nothing was saved when this shows.
 */
export function PermissionReport({ missing }: { missing: string[] }) {
  if (missing.length === 0) return null;
  return (
    <Alert color="orange" role="alert" title="This API key lacks permissions Vouch needs" data-testid="permission-report">
      <Text size="sm">
        Nothing was saved. In Lever, Settings → Integrations and API → API Credentials, edit the key and enable:
      </Text>
      <List size="sm" my="xs" aria-label="Missing permissions">
        {missing.map((name) => (
          <List.Item key={name}>{name}</List.Item>
        ))}
      </List>
      <Text size="sm">Then connect again with the same key.</Text>
    </Alert>
  );
}
