import type { ReactNode } from 'react';
import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { GraphQLProvider, type GraphQLProviderProps } from './graphql/GraphQLProvider';
import { theme } from './theme';

export interface ProvidersProps {
  children: ReactNode;
  graphql?: Omit<GraphQLProviderProps, 'children'>;
}

/** Everything a page needs around it, except the router (tests bring their own). */
export function Providers({ children, graphql }: ProvidersProps) {
  return (
    <MantineProvider theme={theme} defaultColorScheme="light">
      <Notifications />
      <GraphQLProvider {...graphql}>{children}</GraphQLProvider>
    </MantineProvider>
  );
}
