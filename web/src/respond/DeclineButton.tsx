import { useState } from 'react';
import { useMutation } from 'urql';
import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import type { PublicCheckFieldsFragment } from '../gql/graphql';
import { errorCode, errorMessage } from '../graphql/errors';
import { DeclineCheckMutation } from '../graphql/operations/respond';
import type { Messages } from './i18n';
import { localizeServerMessage } from './referees';

/** The candidate says no to the whole check, after confirming. */
export function DeclineButton({
  token,
  t,
  onUpdated,
  onRefresh,
}: {
  token: string;
  t: Messages;
  onUpdated: (check: PublicCheckFieldsFragment) => void;
  onRefresh: () => void;
}) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [state, decline] = useMutation(DeclineCheckMutation);

  async function onConfirm() {
    const result = await decline({ token });
    setOpen(false);
    if (result.error) {
      const code = errorCode(result.error);
      setError(code === 'EXPIRED' ? t.expiredLinkBody : localizeServerMessage(errorMessage(result.error), t));
      if (code === 'CONFLICT') onRefresh();
      return;
    }
    if (result.data) onUpdated(result.data.declineCheck);
  }

  return (
    <>
      <Group justify="flex-start">
        <Button variant="subtle" color="gray" size="compact-sm" onClick={() => setOpen(true)}>
          {t.decline}
        </Button>
      </Group>
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      <Modal opened={open} onClose={() => setOpen(false)} title={t.declineTitle} centered>
        <Stack>
          <Text>{t.declineBody}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(false)}>
              {t.back}
            </Button>
            <Button color="red" onClick={() => void onConfirm()} loading={state.fetching} data-testid="confirm-decline">
              {t.declineConfirm}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
