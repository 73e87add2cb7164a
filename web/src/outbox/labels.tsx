import { Badge, Tooltip } from '@mantine/core';

/** Outbox statuses as the server writes them (server/src/domain/email), with words and colours. */
export const EMAIL_STATUSES: { value: string; label: string; color: string; meaning: string }[] = [
  { value: 'QUEUED', label: 'Queued', color: 'blue', meaning: 'Waiting for its delivery job (or for a retry).' },
  {
    value: 'DELIVERED_TO_OUTBOX',
    label: 'In outbox',
    color: 'grape',
    meaning: 'No SMTP server was configured when it was delivered: it was kept here and nobody received it.',
  },
  { value: 'SENT', label: 'Sent', color: 'green', meaning: 'The SMTP server accepted it.' },
  {
    value: 'FAILED',
    label: 'Failed',
    color: 'red',
    meaning: 'The SMTP server refused it, or every attempt failed; see the last error.',
  },
];

/** The kinds of e-mail Vouch writes. */
export const EMAIL_KINDS: { value: string; label: string }[] = [
  { value: 'CANDIDATE_LINK', label: 'Candidate link' },
  { value: 'REFEREE_REQUEST', label: 'Referee request' },
  { value: 'REMINDER', label: 'Reminder' },
  { value: 'INVITATION', label: 'Invitation' },
];

/** A kind in words; one the app does not know yet is shown as the server wrote it. */
export const kindLabel = (kind: string) => EMAIL_KINDS.find((k) => k.value === kind)?.label ?? kind;

export function EmailStatusBadge({ status }: { status: string }) {
  const s = EMAIL_STATUSES.find((x) => x.value === status);
  return (
    <Tooltip label={s?.meaning ?? status} multiline w={260} disabled={!s}>
      <Badge color={s?.color ?? 'gray'} variant="light" data-testid="email-status">
        {s?.label ?? status}
      </Badge>
    </Tooltip>
  );
}
