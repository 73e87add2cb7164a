import { EmptyState, Stack, Title } from '@mantine/core';

export interface ComingSoonPageProps {
  title: string;
  description: string;
}

/** A section of the app that is routed and titled but not built yet. */
export function ComingSoonPage({ title, description }: ComingSoonPageProps) {
  return (
    <Stack>
      <Title order={2}>{title}</Title>
      <EmptyState title="Coming soon" description={description} />
    </Stack>
  );
}
