import { useQuery } from 'urql';
import { Alert, Badge, Card, Loader, Stack, Table, Text, Title } from '@mantine/core';
import type { Role } from '../gql/graphql';
import { errorMessage } from '../graphql/errors';
import { SettingsQuery } from '../graphql/operations/settings';

export const ROLE_LABELS: Record<Role, string> = {
  SUPER_ADMIN: 'Super admin',
  ADMIN: 'Admin',
  TEAM_MEMBER: 'Team member',
  LIMITED_TEAM_MEMBER: 'Limited team member',
};

export function SettingsPage() {
  const [{ data, fetching, error }] = useQuery({ query: SettingsQuery });

  return (
    <Stack>
      <Title order={2}>Settings</Title>
      {error && (
        <Alert color="red" role="alert">
          {errorMessage(error)}
        </Alert>
      )}
      {!data && fetching && <Loader aria-label="Loading" />}
      {data && (
        <>
          <Card withBorder>
            <Text size="sm" c="dimmed">
              Organization
            </Text>
            <Text fw={600} size="lg" data-testid="organization-name">
              {data.organization.name}
            </Text>
          </Card>
          <Title order={3}>Users</Title>
          <Table striped withTableBorder aria-label="Users">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>E-mail</Table.Th>
                <Table.Th>Role</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.users.map((user) => (
                <Table.Tr key={user.id}>
                  <Table.Td>{user.name}</Table.Td>
                  <Table.Td>{user.email}</Table.Td>
                  <Table.Td>
                    <Badge variant="light">{ROLE_LABELS[user.role]}</Badge>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      )}
    </Stack>
  );
}
