import { useMemo, useState, type ReactNode } from 'react';
import { Provider } from 'urql';
import type { Client as WsClient } from 'graphql-ws';
import { notifications } from '@mantine/notifications';
import { tokenStore } from '../auth/tokenStore';
import { useAuth } from '../auth/useAuth';
import { createGraphQLClient } from './client';
import { createWsClient, defaultWsUrl } from './wsClient';

export interface GraphQLProviderProps {
  children: ReactNode;
  /** HTTP endpoint; default `/graphql`. */
  url?: string;
  /** Subscriptions' websocket client; default one for `/graphql/ws` on this origin, `null` for none. */
  ws?: WsClient | null;
  fetch?: typeof fetch;
}

/**
 * Provides a urql client bound to the current session. A new session (sign in,
 * sign out) gets a new client, so nothing cached for one user is shown to the
 * next. The websocket is lazy: it opens on the first subscription with the
 * token of that moment and closes when the last one ends (the shell's
 * subscriptions end on sign-out), so the next session connects afresh.
 */
export function GraphQLProvider({ children, url, ws: givenWs, fetch }: GraphQLProviderProps) {
  const { token } = useAuth();
  const [ws] = useState(() => (givenWs === undefined ? createWsClient(defaultWsUrl(), tokenStore.get) : givenWs));

  const client = useMemo(
    () =>
      createGraphQLClient({
        url,
        ws,
        fetch,
        getToken: () => token,
        onUnauthenticated: () => {
          tokenStore.clear();
          notifications.show({
            id: 'session-ended',
            color: 'yellow',
            title: 'Signed out',
            message: 'Your session has ended. Please sign in again.',
          });
        },
      }),
    [url, ws, fetch, token],
  );

  return <Provider value={client}>{children}</Provider>;
}
