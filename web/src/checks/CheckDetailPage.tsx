import { Link, useParams } from 'react-router';
import { useQuery } from 'urql';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Loader,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Timeline,
  Title,
} from '@mantine/core';
import { isAdmin } from '../auth/roles';
import type { CheckDetailQuery as CheckDetailData, CheckStatus } from '../gql/graphql';
import { errorCode, errorMessage } from '../graphql/errors';
import { MeQuery } from '../graphql/operations/auth';
import { CheckDetailQuery } from '../graphql/operations/checks';
import { languageName, stepKindName } from '../rules/labels';
import { CancelCheck } from './CancelCheck';
import {
  actorLabel,
  formatDateTime,
  isOpenStatus,
  mayCancel,
  relationshipLabel,
  StatusBadge,
  statusLabel,
} from './labels';
import { reportMatrix } from './report';
import { usePolling } from './usePolling';

type Check = CheckDetailData['check'];

const CHECK_CONTEXT = { additionalTypenames: ['Check'] };

/** The timeline oldest first, whatever order it came in. */
export function oldestFirst<T extends { at: string }>(events: readonly T[]): T[] {
  return [...events].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

/**
 * One check (`/checks/:id`, linked from Lever's note): who, which step,
 * where it stands and why, the referees, the report (answers side by side,
 * ratings averaged) and what happened, oldest first. Follows changes live
 * and prints without the app's navigation.
 */
export function CheckDetailPage() {
  const { id = '' } = useParams();
  const [{ data, error, fetching }, reexecute] = useQuery({
    query: CheckDetailQuery,
    variables: { id },
    context: CHECK_CONTEXT,
  });
  const [meResult] = useQuery({ query: MeQuery });
  usePolling(() => reexecute({ requestPolicy: 'network-only' }));

  if (!data) {
    if (error) {
      const missing = errorCode(error) === 'NOT_FOUND';
      return (
        <Stack>
          <BackLink />
          <Alert color={missing ? 'yellow' : 'red'} role="alert" title={missing ? 'No such check' : 'Could not load the check'}>
            {missing
              ? 'This check does not exist, or you do not have access to its project.'
              : errorMessage(error)}
          </Alert>
        </Stack>
      );
    }
    return fetching ? <Loader size="sm" aria-label="Loading" /> : null;
  }

  const check = data.check;
  const project = data.projects.find((p) => p.id === check.projectId);
  return (
    <Stack gap="lg" data-testid="check-detail">
      <Group justify="space-between" data-print="hide">
        <BackLink />
        <Group gap="xs">
          {isAdmin(meResult.data?.me.role) && (
            <Button variant="default" component={Link} to={`/outbox?check=${check.id}`}>
              E-mails
            </Button>
          )}
          <Button variant="default" onClick={() => window.print()}>
            Print
          </Button>
          {mayCancel(meResult.data?.me.role) && isOpenStatus(check.status) && (
            <CancelCheck id={check.id} candidateName={check.candidateName} size="sm" />
          )}
        </Group>
      </Group>
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={2}>{check.candidateName || '(no name)'}</Title>
          <Text c="dimmed">
            {stepKindName(check.stepKind)}
            {project ? ` · ${project.name}` : ''}
          </Text>
        </div>
        <StatusBadge status={check.status} />
      </Group>
      {error && (
        <Alert color="yellow" data-print="hide">
          Could not refresh: {errorMessage(error)}
        </Alert>
      )}
      <Facts check={check} projectName={project?.name} />
      {check.stepKind === 'REFERENCE_CHECK' && <Referees check={check} />}
      <Report check={check} />
      <CheckTimeline check={check} />
    </Stack>
  );
}

function BackLink() {
  return (
    <Anchor component={Link} to="/checks" size="sm">
      ← All checks
    </Anchor>
  );
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text component="div">{children}</Text>
    </div>
  );
}

function Facts({ check, projectName }: { check: Check; projectName?: string }) {
  return (
    <Card withBorder>
      <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} data-testid="check-facts">
        <Fact label="Candidate">
          <Anchor component={Link} to={`/candidates/${check.candidateId}`}>
            {check.candidateName || '(no name)'}
          </Anchor>
        </Fact>
        <Fact label="Step">{stepKindName(check.stepKind)}</Fact>
        <Fact label="Language">{languageName(check.language)}</Fact>
        <Fact label="Project">{projectName ?? '—'}</Fact>
        <Fact label="Status">
          {statusLabel(check.status)}
          {check.statusReason && (
            <Text size="sm" c="dimmed" data-testid="status-reason">
              {check.statusReason}
            </Text>
          )}
        </Fact>
        <Fact label="Started">{formatDateTime(check.createdAt)}</Fact>
        <Fact label={isOpenStatus(check.status) ? 'Links expire' : 'Links expired'}>{formatDateTime(check.expiresAt)}</Fact>
        <Fact label="In Lever">
          <span data-testid="lever-written">
            {check.writtenToLever ? 'Shows this status' : 'Not written yet (waiting for Lever)'}
          </span>
          <Text size="xs" c="dimmed">
            Opportunity {check.leverOpportunityId}
          </Text>
        </Fact>
      </SimpleGrid>
    </Card>
  );
}

function Referees({ check }: { check: Check }) {
  return (
    <Stack gap="xs" component="section" aria-label="Referees">
      <Title order={3}>Referees</Title>
      {check.referees.length === 0 ? (
        <Text c="dimmed">The candidate has not named referees yet.</Text>
      ) : (
        <Table data-testid="referees-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>E-mail</Table.Th>
              <Table.Th>Phone</Table.Th>
              <Table.Th>Relationship</Table.Th>
              <Table.Th>State</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {check.referees.map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>{r.name}</Table.Td>
                <Table.Td>{r.email}</Table.Td>
                <Table.Td>{r.phone ?? '—'}</Table.Td>
                <Table.Td>{relationshipLabel(r.relationship)}</Table.Td>
                <Table.Td>
                  {r.submittedAt ? (
                    <Badge color="green" variant="light">
                      Answered {formatDateTime(r.submittedAt)}
                    </Badge>
                  ) : (
                    <Badge color="gray" variant="light">
                      Waiting
                    </Badge>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

function Report({ check }: { check: Check }) {
  const matrix = reportMatrix(check.report);
  const hasRatings = matrix.rows.some((r) => r.type === 'RATING_1_5');
  return (
    <Stack gap="xs" component="section" aria-label="Report">
      <Title order={3}>Report</Title>
      {matrix.respondents.length === 0 ? (
        <Text c="dimmed" data-testid="report-empty">
          No answers submitted yet.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={600}>
          <Table withTableBorder withColumnBorders data-testid="report-table" verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Question</Table.Th>
                {matrix.respondents.map((r, i) => (
                  <Table.Th key={i}>{r}</Table.Th>
                ))}
                {hasRatings && <Table.Th>Average</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {matrix.rows.map((row, i) => (
                <Table.Tr key={i}>
                  <Table.Td fw={600} maw={280}>
                    {row.prompt}
                  </Table.Td>
                  {row.cells.map((cell, j) => (
                    <Table.Td key={j} style={{ whiteSpace: 'pre-wrap', verticalAlign: 'top' }}>
                      {cell ?? <Text c="dimmed">—</Text>}
                    </Table.Td>
                  ))}
                  {hasRatings && <Table.Td fw={600}>{row.average ?? ''}</Table.Td>}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}

function CheckTimeline({ check }: { check: Check }) {
  const events = oldestFirst(check.timeline);
  return (
    <Stack gap="xs" component="section" aria-label="Timeline">
      <Title order={3}>Timeline</Title>
      <Timeline bulletSize={14} lineWidth={2} active={events.length - 1} data-testid="timeline">
        {events.map((e, i) => (
          <Timeline.Item key={i} title={e.detail ?? e.kind} data-testid="timeline-item">
            <Text size="xs" c="dimmed">
              {formatDateTime(e.at)} · {actorLabel(e.actor, check.referees)}
              {e.status ? ` · ${statusLabel(e.status as CheckStatus)}` : ''}
            </Text>
          </Timeline.Item>
        ))}
      </Timeline>
    </Stack>
  );
}
