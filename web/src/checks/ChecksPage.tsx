import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { useDebouncedValue } from '@mantine/hooks';
import {
  Anchor,
  Button,
  EmptyState,
  Group,
  Loader,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import type { CheckFilterInput, CheckStatus, StepKind } from '../gql/graphql';
import { MeQuery } from '../graphql/operations/auth';
import { ChecksQuery, ProjectsQuery } from '../graphql/operations/checks';
import { languageName, STEP_KINDS, stepKindName } from '../rules/labels';
import { CancelCheck } from './CancelCheck';
import { formatDay, formatDateTime, isOpenStatus, mayCancel, StatusBadge, STATUSES } from './labels';
import { LoadError } from '../components/LoadError';
import { usePolling } from './usePolling';

/** Most checks one page lists (the server's maximum is 500). */
export const PAGE_SIZE = 200;
/** Refetched after a cancellation (a Check changed). */
const CHECK_CONTEXT = { additionalTypenames: ['Check'] };

/** The filter as the server takes it; blank fields left out. */
export function checkFilter(f: {
  projectId: string | null;
  status: string | null;
  stepKind: string | null;
  search: string;
}): CheckFilterInput {
  const filter: CheckFilterInput = {};
  if (f.projectId) filter.projectId = f.projectId;
  if (f.status) filter.status = f.status as CheckStatus;
  if (f.stepKind) filter.stepKind = f.stepKind as StepKind;
  const search = f.search.trim();
  if (search) filter.search = search;
  return filter;
}

/**
 * Every check the user may see, newest first, filtered by project, status,
 * step and the candidate's name; it asks the server again every few
 * seconds, so statuses change on screen as candidates and referees answer.
 */
export function ChecksPage() {
  const [projectId, setProjectId] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [stepKind, setStepKind] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [debouncedSearch] = useDebouncedValue(search, 300);
  const filter = useMemo(
    () => checkFilter({ projectId, status, stepKind, search: debouncedSearch }),
    [projectId, status, stepKind, debouncedSearch],
  );
  const variables = useMemo(() => ({ filter, first: PAGE_SIZE }), [filter]);
  const [{ data, error, fetching }, reexecute] = useQuery({ query: ChecksQuery, variables, context: CHECK_CONTEXT });
  const [projectsResult] = useQuery({ query: ProjectsQuery });
  const [meResult] = useQuery({ query: MeQuery });
  usePolling(() => reexecute({ requestPolicy: 'network-only' }));

  const projects = projectsResult.data?.projects ?? [];
  const projectName = (id: string) => projects.find((p) => p.id === id)?.name ?? '';
  const canCancel = mayCancel(meResult.data?.me.role);
  const checks = data?.checks ?? [];
  const filtered = Object.keys(filter).length > 0;

  function clearFilters() {
    setProjectId(null);
    setStatus(null);
    setStepKind(null);
    setSearch('');
  }

  return (
    <Stack gap="lg">
      <Group justify="space-between">
        <Title order={2}>Checks</Title>
        {fetching && data && <Loader size="xs" aria-label="Refreshing" />}
      </Group>
      <Group align="flex-end" gap="sm" data-testid="check-filters">
        <TextInput
          label="Candidate"
          placeholder="Search by name"
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          w={220}
        />
        <Select
          label="Project"
          placeholder="All projects"
          data={projects.map((p) => ({ value: p.id, label: p.name }))}
          value={projectId}
          onChange={setProjectId}
          clearable
          searchable
          w={220}
        />
        <Select
          label="Status"
          placeholder="Any status"
          data={STATUSES.map((s) => ({ value: s.value, label: s.label }))}
          value={status}
          onChange={setStatus}
          clearable
          w={190}
        />
        <Select
          label="Step"
          placeholder="Any step"
          data={STEP_KINDS}
          value={stepKind}
          onChange={setStepKind}
          clearable
          w={180}
        />
        {filtered && (
          <Button variant="subtle" onClick={clearFilters}>
            Clear filters
          </Button>
        )}
      </Group>
      {error && (
        <LoadError
          error={error}
          title={data ? 'Could not refresh the list' : 'Could not load the checks'}
          onRetry={() => reexecute({ requestPolicy: 'network-only' })}
        />
      )}
      {fetching && !data && !error && <Loader size="sm" aria-label="Loading" />}
      {data && checks.length === 0 && (
        <EmptyState
          title={filtered ? 'No checks match these filters' : 'No checks yet'}
          description={
            filtered
              ? 'Change or clear the filters to see more.'
              : 'A check starts when a candidate enters a Lever stage that a rule maps to a step.'
          }
          data-testid="checks-empty"
        />
      )}
      {checks.length > 0 && (
        <Table.ScrollContainer minWidth={900}>
          <Table aria-label="Checks" data-testid="checks-table" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Candidate</Table.Th>
                <Table.Th>Step</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Project</Table.Th>
                <Table.Th>Language</Table.Th>
                <Table.Th>Started</Table.Th>
                <Table.Th>Expires</Table.Th>
                <Table.Th>Lever</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {checks.map((c) => (
                <Table.Tr key={c.id} data-testid="check-row">
                  <Table.Td>
                    <Anchor component={Link} to={`/candidates/${c.candidateId}`}>
                      {c.candidateName || '(no name)'}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{stepKindName(c.stepKind)}</Table.Td>
                  <Table.Td>
                    <StatusBadge status={c.status} />
                    {c.statusReason && (
                      <Text size="xs" c="dimmed" maw={240}>
                        {c.statusReason}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{projectName(c.projectId)}</Table.Td>
                  <Table.Td>{languageName(c.language)}</Table.Td>
                  <Table.Td>{formatDateTime(c.createdAt)}</Table.Td>
                  <Table.Td>{isOpenStatus(c.status) ? formatDay(c.expiresAt) : '—'}</Table.Td>
                  <Table.Td>
                    <Tooltip label={c.writtenToLever ? 'Lever shows this status' : 'Waiting to be written into Lever'}>
                      <Text size="sm" c={c.writtenToLever ? 'green.7' : 'yellow.8'}>
                        {c.writtenToLever ? 'Up to date' : 'Pending'}
                      </Text>
                    </Tooltip>
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <Button size="xs" variant="default" component={Link} to={`/checks/${c.id}`}>
                        Open
                      </Button>
                      {canCancel && isOpenStatus(c.status) && <CancelCheck id={c.id} candidateName={c.candidateName} />}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {checks.length === PAGE_SIZE && (
        <Text size="sm" c="dimmed">
          Showing the newest {PAGE_SIZE} checks; narrow the filters to find older ones.
        </Text>
      )}
    </Stack>
  );
}
