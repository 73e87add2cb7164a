import type { ReactNode } from 'react';
import { Alert, Box, Button, Center, Container, Loader, Paper, Stack, Text, Title } from '@mantine/core';

/**
 * The frame of a public page (no app shell, no navigation): the company's
 * name on top, then the page in a card. `lang` marks the page's language
 * for screen readers and spell checkers.
 */
export function PublicFrame({ company, lang, children }: { company?: string; lang?: string; children: ReactNode }) {
  return (
    <Box bg="gray.0" mih="100vh" py="xl" lang={lang}>
      <Container size="sm">
        <Stack gap="md">
          <Text fw={700} size="lg" c="indigo.8" data-testid="public-company">
            {company ?? 'Vouch'}
          </Text>
          <Paper withBorder shadow="xs" radius="md" p={{ base: 'md', sm: 'xl' }}>
            {children}
          </Paper>
        </Stack>
      </Container>
    </Box>
  );
}

/** A page that cannot go on (unknown or expired link, a failure), in the page's language. */
export function PublicMessage({
  title,
  body,
  color = 'red',
  onRetry,
  retryLabel,
}: {
  title: string;
  body: string;
  color?: string;
  onRetry?: () => void;
  retryLabel?: string;
}) {
  return (
    <Stack>
      <Alert color={color} role="alert" title={title}>
        {body}
      </Alert>
      {onRetry && retryLabel && (
        <Button variant="default" onClick={onRetry} w="fit-content">
          {retryLabel}
        </Button>
      )}
    </Stack>
  );
}

export function PublicLoading({ label }: { label: string }) {
  return (
    <Center py="xl">
      <Stack align="center" gap="xs">
        <Loader aria-label={label} />
        <Title order={4} c="dimmed" fw={400}>
          {label}
        </Title>
      </Stack>
    </Center>
  );
}
