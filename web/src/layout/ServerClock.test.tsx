import { act, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { tokenStore } from '../auth/tokenStore';
import { ME, fakeServer } from '../test/fakeServer';
import { fakeWs } from '../test/fakeWs';
import { fakeJwt } from '../test/jwt';
import { renderApp } from '../test/renderApp';

describe('ServerClock', () => {
  it('shows the time the serverTime subscription pushes', async () => {
    tokenStore.set(fakeJwt());
    const ws = fakeWs();
    renderApp('/integrations', fakeServer({ Me: () => ({ data: ME }) }).fetch, ws.client);

    await waitFor(() => expect(ws.subscribers).toBe(1));
    expect(screen.getByTestId('server-clock')).toHaveTextContent('--:--:--');
    const time = '2030-05-06T07:08:09Z';
    act(() => ws.push({ serverTime: time }));
    expect(screen.getByTestId('server-clock')).toHaveTextContent(new Date(time).toLocaleTimeString());
    expect(ws.payloads[0].query).toContain('serverTime');
  });

  it('stops listening when the user signs out', async () => {
    tokenStore.set(fakeJwt());
    const ws = fakeWs();
    renderApp('/integrations', fakeServer({ Me: () => ({ data: ME }) }).fetch, ws.client);
    await waitFor(() => expect(ws.subscribers).toBe(1));
    act(() => tokenStore.clear());
    await waitFor(() => expect(ws.subscribers).toBe(0));
  });
});
