import { useQuery } from 'urql';
import { Button, Group, Stack, Text } from '@mantine/core';
import { useAuth } from '../auth/useAuth';
import { MeQuery } from '../graphql/operations/auth';

/** Who is signed in (from `me`), and the way out. */
export function UserMenu() {
  const { signOut } = useAuth();
  const [{ data }] = useQuery({ query: MeQuery });
  const me = data?.me;
  return (
    <Group gap="md" wrap="nowrap">
      {me && (
        <Stack gap={0} align="flex-end" visibleFrom="xs">
          <Text size="sm" fw={500} data-testid="user-email">
            {me.email}
          </Text>
          <Text size="xs" c="dimmed" data-testid="organization-name">
            {me.organization.name}
          </Text>
        </Stack>
      )}
      <Button variant="default" size="xs" onClick={signOut}>
        Sign out
      </Button>
    </Group>
  );
}
