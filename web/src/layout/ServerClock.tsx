import { useSubscription } from 'urql';
import { Text, Tooltip } from '@mantine/core';
import { ServerTimeSubscription } from '../graphql/operations/serverTime';

function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleTimeString();
}

/** The server's clock, pushed over the websocket: shows that live updates work. */
export function ServerClock() {
  const [{ data, error }] = useSubscription({ query: ServerTimeSubscription });
  const live = Boolean(data) && !error;
  return (
    <Tooltip label={live ? 'Live updates connected' : 'Live updates not connected'}>
      <Text size="sm" c={live ? 'dimmed' : 'red'} ff="monospace" data-testid="server-clock" aria-live="off">
        {data ? formatTime(data.serverTime) : '--:--:--'}
      </Text>
    </Tooltip>
  );
}
