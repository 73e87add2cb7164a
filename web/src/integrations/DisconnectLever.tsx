import { useMutation } from 'urql';
import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { errorMessage } from '../graphql/errors';
import { DisconnectLeverMutation } from '../graphql/operations/lever';

/** Disconnect, after a confirmation that says what it does and does not do. */
export function DisconnectLever({ connectionId }: { connectionId: string }) {
  const [opened, { open, close }] = useDisclosure(false);
  const [{ fetching, error }, disconnect] = useMutation(DisconnectLeverMutation);

  async function onConfirm() {
    const result = await disconnect({ connectionId });
    if (result.data) {
      close();
      notifications.show({ color: 'gray', title: 'Lever disconnected', message: 'Vouch’s credentials were deleted.' });
    }
  }

  return (
    <>
      <Button color="red" variant="light" onClick={open}>
        Disconnect
      </Button>
      <Modal opened={opened} onClose={close} title="Disconnect Lever?" centered>
        <Stack>
          <Text size="sm">
            Vouch deletes its Lever credentials and stops reading from and writing to Lever. Checks, rules and
            history stay, and you can connect again at any time.
          </Text>
          {error && (
            <Alert color="red" role="alert">
              {errorMessage(error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button color="red" onClick={onConfirm} loading={fetching}>
              Disconnect Lever
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
