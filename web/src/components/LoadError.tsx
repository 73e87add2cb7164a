import { Alert, Button, Stack, Text } from '@mantine/core';
import type { CombinedError } from 'urql';
import { errorMessage } from '../graphql/errors';

/**
 * A list that could not be loaded (or refreshed, when an earlier answer is
 * still shown): the server's message and a way to ask again.
 */
export function LoadError({
  error,
  title,
  onRetry,
}: {
  error: CombinedError;
  title: string;
  onRetry: () => void;
}) {
  return (
    <Alert color="red" role="alert" title={title}>
      <Stack gap="xs" align="flex-start">
        <Text size="sm">{errorMessage(error)}</Text>
        <Button size="xs" variant="default" onClick={onRetry}>
          Try again
        </Button>
      </Stack>
    </Alert>
  );
}
