import { Fragment, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import {
  Alert,
  Anchor,
  Button,
  Drawer,
  EmptyState,
  Group,
  Loader,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { isAdmin } from '../auth/roles';
import type { OutboxQuery as OutboxData } from '../gql/graphql';
import { errorMessage } from '../graphql/errors';
import { MeQuery } from '../graphql/operations/auth';
import { RetryJobMutation } from '../graphql/operations/leverHealth';
import { OutboxQuery } from '../graphql/operations/outbox';
import { formatDateTime } from '../checks/labels';
import { LoadError } from '../components/LoadError';
import { usePolling } from '../checks/usePolling';
import { EMAIL_KINDS, EMAIL_STATUSES, EmailStatusBadge, kindLabel } from './labels';
import { linkify } from './linkify';

export type OutboxEmail = OutboxData['outbox'][number];

/** Most e-mails one page lists (the server's maximum is 500); filters apply to these. */
export const PAGE_SIZE = 200;

/** The URL parameter that narrows the list to one check's e-mails (`/outbox?check=<id>`). */
export const CHECK_PARAM = 'check';

export interface OutboxFilter {
  kind: string | null;
  status: string | null;
  search: string;
  checkId: string | null;
}

/** The e-mails that pass every filter set; the search matches the recipient, ignoring case. */
export function filterEmails<T extends Pick<OutboxEmail, 'kind' | 'status' | 'to' | 'checkId'>>(
  emails: readonly T[],
  f: OutboxFilter,
): T[] {
  const search = f.search.trim().toLowerCase();
  return emails.filter(
    (e) =>
      (!f.kind || e.kind === f.kind) &&
      (!f.status || e.status === f.status) &&
      (!f.checkId || e.checkId === f.checkId) &&
      (!search || e.to.toLowerCase().includes(search)),
  );
}

/**
 * The outbox (`/outbox`, admins): every e-mail Vouch wrote, newest first,
 * with its delivery status, and the full text of one in a drawer with its
 * links clickable. Others get an explanation instead (the server would
 * refuse them anyway).
 */
export function OutboxPage() {
  const [{ data, error, fetching }] = useQuery({ query: MeQuery });
  const role = data?.me.role;
  return (
    <Stack gap="lg">
      <Title order={2}>E-mail</Title>
      {!data && fetching && <Loader size="sm" aria-label="Loading" />}
      {!data && error && (
        <Alert color="red" role="alert">
          {errorMessage(error)}
        </Alert>
      )}
      {data && !isAdmin(role) && (
        <Alert color="yellow" title="For admins" data-testid="outbox-forbidden">
          Only admins of your organization can read the e-mails Vouch sends. Ask one of them if you need to see what a
          candidate or referee was sent.
        </Alert>
      )}
      {data && isAdmin(role) && <Outbox />}
    </Stack>
  );
}

function About() {
  return (
    <Text size="sm" c="dimmed" maw={900} data-testid="outbox-about">
      Every e-mail Vouch writes (candidates’ links, referee requests, reminders and invitations) is recorded here,
      newest first. When the server is configured with an SMTP server (<code>VOUCH_SMTP_URL</code>), each one is sent
      through it and marked <b>Sent</b>, or <b>Failed</b> with the server’s answer after its retries. Without one,
      nothing leaves Vouch: e-mails are kept here marked <b>In outbox</b>, and you can open one to read it and follow
      its link.
    </Text>
  );
}

function Outbox() {
  const [params, setParams] = useSearchParams();
  const checkId = params.get(CHECK_PARAM);
  const [kind, setKind] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [openId, setOpenId] = useState<string | null>(null);
  const [{ data, error, fetching }, reexecute] = useQuery({ query: OutboxQuery, variables: { first: PAGE_SIZE } });
  usePolling(() => reexecute({ requestPolicy: 'network-only' }));

  const emails = useMemo(() => data?.outbox ?? [], [data]);
  const shown = useMemo(
    () => filterEmails(emails, { kind, status, search, checkId }),
    [emails, kind, status, search, checkId],
  );
  const filtered = Boolean(kind || status || search.trim() || checkId);
  // Looked up by id on every answer, so an open e-mail follows its status as polling brings it.
  const open = emails.find((e) => e.id === openId);

  function showAllChecks() {
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        next.delete(CHECK_PARAM);
        return next;
      },
      { replace: true },
    );
  }

  function clearFilters() {
    setKind(null);
    setStatus(null);
    setSearch('');
    if (checkId) showAllChecks();
  }

  return (
    <>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <About />
        {fetching && data && <Loader size="xs" aria-label="Refreshing" />}
      </Group>
      {checkId && (
        <Alert color="blue" data-testid="outbox-check-filter">
          <Group justify="space-between">
            <Text size="sm">
              The e-mails of one check.{' '}
              <Anchor component={Link} to={`/checks/${checkId}`}>
                Open the check
              </Anchor>
            </Text>
            <Button size="xs" variant="default" onClick={showAllChecks}>
              Show every check’s e-mails
            </Button>
          </Group>
        </Alert>
      )}
      <Group align="flex-end" gap="sm" data-testid="outbox-filters">
        <TextInput
          label="Recipient"
          placeholder="Search by address"
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          w={240}
        />
        <Select label="Kind" placeholder="Any kind" data={EMAIL_KINDS} value={kind} onChange={setKind} clearable w={190} />
        <Select
          label="Status"
          placeholder="Any status"
          data={EMAIL_STATUSES.map((s) => ({ value: s.value, label: s.label }))}
          value={status}
          onChange={setStatus}
          clearable
          w={190}
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
          title={data ? 'Could not refresh the e-mails' : 'Could not load the e-mails'}
          onRetry={() => reexecute({ requestPolicy: 'network-only' })}
        />
      )}
      {fetching && !data && !error && <Loader size="sm" aria-label="Loading" />}
      {data && shown.length === 0 && (
        <EmptyState
          title={filtered ? 'No e-mails match these filters' : 'No e-mails yet'}
          description={
            filtered
              ? 'Change or clear the filters to see more.'
              : 'Vouch writes an e-mail when a check starts, when a candidate names referees, before a link expires and when it invites a Lever user.'
          }
          data-testid="outbox-empty"
        />
      )}
      {shown.length > 0 && <EmailTable emails={shown} onOpen={setOpenId} />}
      {emails.length === PAGE_SIZE && (
        <Text size="sm" c="dimmed">
          Showing the newest {PAGE_SIZE} e-mails{filtered ? '; the filters look at these only' : ''}.
        </Text>
      )}
      <Drawer
        opened={open !== undefined}
        onClose={() => setOpenId(null)}
        position="right"
        size="xl"
        closeButtonProps={{ 'aria-label': 'Close' }}
        title={open?.subject}
      >
        {open && <EmailDetail email={open} />}
      </Drawer>
    </>
  );
}

function CheckLink({ checkId }: { checkId: string | null | undefined }) {
  if (!checkId) return <Text c="dimmed">—</Text>;
  return (
    <Anchor component={Link} to={`/checks/${checkId}`} onClick={(e) => e.stopPropagation()}>
      Open check
    </Anchor>
  );
}

function EmailTable({ emails, onOpen }: { emails: readonly OutboxEmail[]; onOpen: (id: string) => void }) {
  return (
    <Table.ScrollContainer minWidth={1000}>
      <Table aria-label="E-mails" data-testid="outbox-table" highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Recipient</Table.Th>
            <Table.Th>Subject</Table.Th>
            <Table.Th>Kind</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Attempts</Table.Th>
            <Table.Th>Last error</Table.Th>
            <Table.Th>Created</Table.Th>
            <Table.Th>Delivered</Table.Th>
            <Table.Th>Check</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {emails.map((e) => (
            <Table.Tr key={e.id} data-testid="email-row" onClick={() => onOpen(e.id)} style={{ cursor: 'pointer' }}>
              <Table.Td>{e.to}</Table.Td>
              <Table.Td>
                {/* A real button, so the row opens from the keyboard too. */}
                <Anchor
                  component="button"
                  type="button"
                  ta="left"
                  onClick={(event) => {
                    event.stopPropagation();
                    onOpen(e.id);
                  }}
                >
                  {e.subject}
                </Anchor>
              </Table.Td>
              <Table.Td>{kindLabel(e.kind)}</Table.Td>
              <Table.Td>
                <EmailStatusBadge status={e.status} />
              </Table.Td>
              <Table.Td>{e.attempts}</Table.Td>
              <Table.Td>
                {e.lastError ? (
                  <Text size="xs" c="red.8" maw={260} lineClamp={2} title={e.lastError}>
                    {e.lastError}
                  </Text>
                ) : (
                  <Text c="dimmed">—</Text>
                )}
              </Table.Td>
              <Table.Td>{formatDateTime(e.createdAt)}</Table.Td>
              <Table.Td>{e.sentAt ? formatDateTime(e.sentAt) : '—'}</Table.Td>
              <Table.Td>
                <CheckLink checkId={e.checkId} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text component="div" size="sm">
        {children}
      </Text>
    </div>
  );
}

/** Runs a FAILED e-mail's delivery job again (once the address or the mail server is fixed). */
function SendAgain({ jobId }: { jobId: string }) {
  const [{ fetching, error, data }, retry] = useMutation(RetryJobMutation);
  return (
    <Group gap="sm">
      <Button variant="light" loading={fetching} disabled={!!data} onClick={() => void retry({ id: jobId })}>
        Send again
      </Button>
      {data && (
        <Text size="sm" c="dimmed" role="status">
          Queued: the list shows the new attempt shortly.
        </Text>
      )}
      {error && (
        <Text size="sm" c="red.8" role="alert">
          {errorMessage(error)}
        </Text>
      )}
    </Group>
  );
}

/** One e-mail in full: who, what, how its delivery went, and the body as the recipient reads it. */
function EmailDetail({ email }: { email: OutboxEmail }) {
  const pieces = linkify(email.body);
  const hasLinks = pieces.some((p) => 'href' in p);
  return (
    <Stack data-testid="email-detail">
      <SimpleGrid cols={2}>
        <Fact label="To">{email.to}</Fact>
        <Fact label="Kind">{kindLabel(email.kind)}</Fact>
        <Fact label="Status">
          <EmailStatusBadge status={email.status} />
        </Fact>
        <Fact label="Attempts">{email.attempts}</Fact>
        <Fact label="Created">{formatDateTime(email.createdAt)}</Fact>
        <Fact label="Delivered">{email.sentAt ? formatDateTime(email.sentAt) : '—'}</Fact>
        <Fact label="Check">
          <CheckLink checkId={email.checkId} />
        </Fact>
      </SimpleGrid>
      {email.lastError && (
        <Alert color="red" title="Last error" data-testid="email-last-error">
          {email.lastError}
        </Alert>
      )}
      {email.status === 'FAILED' && email.jobId && <SendAgain jobId={email.jobId} />}
      {hasLinks && (
        <Text size="xs" c="dimmed">
          Links in this e-mail are the recipient’s own: what you submit through them counts as their answer.
        </Text>
      )}
      <Paper withBorder p="md">
        {/* Text only: React escapes every piece, and only http(s) addresses become links. */}
        <Text
          component="div"
          size="sm"
          style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}
          data-testid="email-body"
        >
          {pieces.map((piece, i) =>
            'href' in piece ? (
              <Anchor key={i} href={piece.href} target="_blank" rel="noopener noreferrer">
                {piece.text}
              </Anchor>
            ) : (
              <Fragment key={i}>{piece.text}</Fragment>
            ),
          )}
        </Text>
      </Paper>
    </Stack>
  );
}
