import { Badge } from '@mantine/core';
import type { CheckStatus, Role } from '../gql/graphql';

export const STATUSES: { value: CheckStatus; label: string; color: string }[] = [
  { value: 'SENT', label: 'Sent', color: 'blue' },
  { value: 'AWAITING_REFEREES', label: 'Awaiting referees', color: 'cyan' },
  { value: 'IN_PROGRESS', label: 'In progress', color: 'indigo' },
  { value: 'COMPLETED', label: 'Completed', color: 'green' },
  { value: 'DECLINED', label: 'Declined', color: 'orange' },
  { value: 'EXPIRED', label: 'Expired', color: 'gray' },
  { value: 'CANCELLED', label: 'Cancelled', color: 'gray' },
  { value: 'SUPERSEDED', label: 'Superseded', color: 'gray' },
  { value: 'BLOCKED', label: 'Action needed', color: 'red' },
];

export const statusLabel = (status: CheckStatus) => STATUSES.find((s) => s.value === status)?.label ?? status;

/** Statuses that still wait for someone (and can be cancelled). */
export const isOpenStatus = (status: CheckStatus) =>
  status === 'SENT' || status === 'AWAITING_REFEREES' || status === 'IN_PROGRESS' || status === 'BLOCKED';

/** Who may cancel a check (the server's rule: team members and up). */
export const mayCancel = (role: Role | undefined) => role !== undefined && role !== 'LIMITED_TEAM_MEMBER';

export function StatusBadge({ status }: { status: CheckStatus }) {
  const s = STATUSES.find((x) => x.value === status);
  return (
    <Badge color={s?.color ?? 'gray'} variant="light" data-testid="check-status">
      {s?.label ?? status}
    </Badge>
  );
}

/** A date and time in the admin's own locale, e.g. "12 Mar 2026, 14:05". */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

export function formatDay(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }).format(date);
}

/** Timeline actors (`lever:<id>`, `user:<id>`, `referee:<id>`, `candidate`, `vouch`) in words. */
export function actorLabel(actor: string, referees: readonly { id: string; name: string }[] = []): string {
  const [kind, id] = actor.split(':', 2);
  switch (kind) {
    case 'candidate':
      return 'Candidate';
    case 'vouch':
      return 'Vouch';
    case 'lever':
      return 'Lever user';
    case 'user':
      return 'Vouch user';
    case 'referee':
      return referees.find((r) => r.id === id)?.name ?? 'Referee';
    default:
      return actor;
  }
}

const RELATIONSHIPS: Record<string, string> = {
  MANAGER: 'Manager',
  PEER: 'Peer',
  REPORT: 'Report',
  OTHER: 'Other',
};

export const relationshipLabel = (r: string) => RELATIONSHIPS[r] ?? r;
