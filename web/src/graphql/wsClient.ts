import { createClient, type Client } from 'graphql-ws';

/** Close codes with which a graphql-transport-ws server rejects the session. */
const AUTH_CLOSE_CODES = new Set([4401, 4403]);

export function defaultWsUrl(loc: Location = window.location): string {
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${loc.host}/graphql/ws`;
}

/**
 * A lazy graphql-transport-ws client: it connects on the first subscription and
 * sends `{"token": "<jwt>"}` as the connection_init payload.
 */
export function createWsClient(url: string, getToken: () => string | null): Client {
  return createClient({
    url,
    lazy: true,
    connectionParams: () => {
      const token = getToken();
      return token ? { token } : {};
    },
    retryAttempts: Infinity,
    shouldRetry: (event) => {
      const code = (event as { code?: unknown } | null)?.code;
      return !(typeof code === 'number' && AUTH_CLOSE_CODES.has(code));
    },
  });
}
