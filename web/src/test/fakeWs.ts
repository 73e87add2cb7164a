import type { Client as WsClient, Sink } from 'graphql-ws';
import { vi } from 'vitest';

/** A graphql-ws client that sends whatever the test pushes to every subscriber. */
export function fakeWs() {
  const sinks = new Set<Sink>();
  const client = {
    subscribe: vi.fn((_payload: unknown, sink: Sink) => {
      sinks.add(sink);
      return () => sinks.delete(sink);
    }),
    iterate: vi.fn(),
    on: vi.fn(() => () => {}),
    dispose: vi.fn(),
    terminate: vi.fn(),
  };
  return {
    client: client as unknown as WsClient,
    /** The payloads (query, variables) of every subscription started. */
    get payloads() {
      return client.subscribe.mock.calls.map(([payload]) => payload as { query: string });
    },
    push(data: Record<string, unknown>) {
      for (const sink of sinks) sink.next({ data });
    },
    fail(message: string) {
      for (const sink of sinks) sink.error(new Error(message));
    },
    get subscribers() {
      return sinks.size;
    },
  };
}
