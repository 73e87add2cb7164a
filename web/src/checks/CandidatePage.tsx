import { Link, useParams } from 'react-router';
import { useQuery } from 'urql';
import { Alert, Anchor, Button, Card, Loader, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { errorCode, errorMessage } from '../graphql/errors';
import { CandidateQuery } from '../graphql/operations/checks';
import { languageName, stepKindName } from '../rules/labels';
import { formatDateTime, formatDay, isOpenStatus, StatusBadge } from './labels';
import { usePolling } from './usePolling';

const CHECK_CONTEXT = { additionalTypenames: ['Check'] };

/**
 * A candidate in Vouch (`/candidates/:id`, linked from Lever's note): their
 * details as Lever had them and every check run on them, newest first.
 * After Lever deleted the candidate, their personal data is gone and the
 * page says so; the anonymous checks stay.
 */
export function CandidatePage() {
  const { id = '' } = useParams();
  const [{ data, error, fetching }, reexecute] = useQuery({ query: CandidateQuery, variables: { id }, context: CHECK_CONTEXT });
  usePolling(() => reexecute({ requestPolicy: 'network-only' }));

  if (!data) {
    if (error) {
      const missing = errorCode(error) === 'NOT_FOUND';
      return (
        <Stack>
          <Anchor component={Link} to="/checks" size="sm">
            ← All checks
          </Anchor>
          <Alert color={missing ? 'yellow' : 'red'} role="alert" title={missing ? 'No such candidate' : 'Could not load the candidate'}>
            {missing ? 'This candidate does not exist, or you do not have access to their project.' : errorMessage(error)}
          </Alert>
        </Stack>
      );
    }
    return fetching ? <Loader size="sm" aria-label="Loading" /> : null;
  }

  const c = data.candidate;
  return (
    <Stack gap="lg" data-testid="candidate-page">
      <Anchor component={Link} to="/checks" size="sm">
        ← All checks
      </Anchor>
      <div>
        <Title order={2}>{c.name || '(no name)'}</Title>
        <Text c="dimmed">{c.projectName}</Text>
      </div>
      {c.purgedAt && (
        <Alert color="gray" title="Personal data deleted">
          Lever deleted this candidate on {formatDateTime(c.purgedAt)}; Vouch removed their name, contact details and
          answers. The checks below stay for the record, without personal data.
        </Alert>
      )}
      <Card withBorder>
        <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} data-testid="candidate-facts">
          <div>
            <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
              E-mail
            </Text>
            {c.emails.length === 0 ? (
              <Text c="dimmed">None in Lever</Text>
            ) : (
              c.emails.map((e) => (
                <Text key={e}>
                  <Anchor href={`mailto:${e}`}>{e}</Anchor>
                </Text>
              ))
            )}
          </div>
          <div>
            <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
              Phone
            </Text>
            {c.phones.length === 0 ? (
              <Text c="dimmed">None in Lever</Text>
            ) : (
              c.phones.map((p, i) => (
                <Text key={i}>
                  {p.value}
                  {p.type ? <Text span c="dimmed" size="sm">{` (${p.type})`}</Text> : null}
                </Text>
              ))
            )}
          </div>
          <div>
            <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
              Project
            </Text>
            <Text>{c.projectName || '—'}</Text>
          </div>
          <div>
            <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
              Lever opportunity
            </Text>
            <Text size="sm" ff="monospace">
              {c.leverOpportunityId}
            </Text>
          </div>
        </SimpleGrid>
      </Card>
      <Stack gap="xs" component="section" aria-label="Checks">
        <Title order={3}>Checks</Title>
        {c.checks.length === 0 ? (
          <Text c="dimmed">No checks yet for this candidate.</Text>
        ) : (
          <Table data-testid="candidate-checks">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Step</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Language</Table.Th>
                <Table.Th>Started</Table.Th>
                <Table.Th>Expires</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {c.checks.map((check) => (
                <Table.Tr key={check.id}>
                  <Table.Td>{stepKindName(check.stepKind)}</Table.Td>
                  <Table.Td>
                    <StatusBadge status={check.status} />
                    {check.statusReason && (
                      <Text size="xs" c="dimmed">
                        {check.statusReason}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{languageName(check.language)}</Table.Td>
                  <Table.Td>{formatDateTime(check.createdAt)}</Table.Td>
                  <Table.Td>{isOpenStatus(check.status) ? formatDay(check.expiresAt) : '—'}</Table.Td>
                  <Table.Td>
                    <Button size="xs" variant="default" component={Link} to={`/checks/${check.id}`}>
                      Open
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Stack>
  );
}
