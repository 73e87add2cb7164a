import {
  Client,
  cacheExchange,
  fetchExchange,
  mapExchange,
  subscriptionExchange,
  type Exchange,
} from 'urql';
import type { Client as WsClient } from 'graphql-ws';
import { isUnauthenticated } from './errors';

export interface ClientOptions {
  /** HTTP endpoint, default `/graphql` on the same origin. */
  url?: string;
  /** The websocket client for subscriptions; none disables subscriptions. */
  ws?: WsClient | null;
  getToken: () => string | null;
  /** Called when the server says the session is not (or no longer) valid. */
  onUnauthenticated: () => void;
  fetch?: typeof fetch;
}

function subscriptions(ws: WsClient): Exchange {
  return subscriptionExchange({
    forwardSubscription(request) {
      const input = { ...request, query: request.query ?? '' };
      return {
        subscribe(sink) {
          const unsubscribe = ws.subscribe(input, sink);
          return { unsubscribe };
        },
      };
    },
  });
}

export function createGraphQLClient(options: ClientOptions): Client {
  const { getToken, onUnauthenticated } = options;
  const exchanges: Exchange[] = [
    cacheExchange,
    mapExchange({
      onError(error) {
        // Only a session we sent can be rejected; a failed `login` is not a sign-out.
        if (getToken() && isUnauthenticated(error)) onUnauthenticated();
      },
    }),
    fetchExchange,
  ];
  if (options.ws) exchanges.push(subscriptions(options.ws));

  return new Client({
    url: options.url ?? '/graphql',
    exchanges,
    fetch: options.fetch,
    requestPolicy: 'cache-and-network',
    // The server's contract is POST /graphql; urql would otherwise GET short queries.
    preferGetMethod: false,
    fetchOptions: () => {
      const token = getToken();
      return token ? { headers: { Authorization: `Bearer ${token}` } } : {};
    },
  });
}
