import { useState } from 'react';
import { useMutation } from 'urql';
import { Alert, Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { CancelCheckMutation } from '../graphql/operations/checks';
import { messageFor, saveError } from '../graphql/fieldErrors';

const MAX_REASON = 500;

/**
 * Cancel an open check, saying why (the reason goes into the timeline and
 * Lever's note). The candidate's and referees' links stop taking answers.
 */
export function CancelCheck({
  id,
  candidateName,
  size = 'xs',
}: {
  id: string;
  candidateName: string;
  size?: 'xs' | 'sm';
}) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [state, cancel] = useMutation(CancelCheckMutation);
  const error = saveError(state.error);
  const trimmed = reason.trim();

  async function onConfirm() {
    // Refetch every list and detail that shows checks.
    const result = await cancel({ id, reason: trimmed }, { additionalTypenames: ['Check'] });
    if (!result.error) {
      setOpen(false);
      setReason('');
    }
  }

  return (
    <>
      <Button size={size} variant="subtle" color="red" onClick={() => setOpen(true)} data-print="hide">
        Cancel check
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title="Cancel this check?" centered>
        <Stack>
          <Text size="sm">
            The check for {candidateName || 'this candidate'} stops: its links take no more answers and Lever shows
            “Cancelled”. This cannot be undone.
          </Text>
          <Textarea
            label="Reason"
            description="Shown in the timeline and in the note in Lever."
            required
            autosize
            minRows={2}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            error={messageFor(error, 'reason') ?? (trimmed.length > MAX_REASON ? `At most ${MAX_REASON} characters` : undefined)}
            data-autofocus
          />
          {error && error.field !== 'reason' && (
            <Alert color="red" role="alert">
              {error.message}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(false)}>
              Keep it
            </Button>
            <Button
              color="red"
              onClick={() => void onConfirm()}
              loading={state.fetching}
              disabled={trimmed === '' || trimmed.length > MAX_REASON}
            >
              Yes, cancel it
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
