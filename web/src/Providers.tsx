import type { ReactNode } from 'react';
import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { GraphQLProvider, type GraphQLProviderProps } from './graphql/GraphQLProvider';
import { theme } from './theme';

export interface ProvidersProps {
  children: ReactNode;
  graphql?: Omit<GraphQLProviderProps, 'children'>;
  /** Mantine's `'test'` environment (no transitions, no portals) for jsdom. */
  env?: 'default' | 'test';
}

/** Everything a page needs around it, except the router (tests bring their own). */
export function Providers({ children, graphql, env }: ProvidersProps) {
  return (
    <MantineProvider theme={theme} defaultColorScheme="light" env={env}>
      <Notifications />
      <GraphQLProvider {...graphql}>{children}</GraphQLProvider>
    </MantineProvider>
  );
}
