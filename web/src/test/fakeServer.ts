import { vi } from 'vitest';

export interface GraphQLRequestBody {
  operationName?: string;
  query: string;
  variables?: Record<string, unknown>;
}

export interface FakeRequest {
  body: GraphQLRequestBody;
  headers: Headers;
}

/** What a handler answers: a GraphQL body, optionally with an HTTP status. */
export interface FakeResponse {
  status?: number;
  body: unknown;
}

/** A handler may answer later (a Promise), to let tests look at the in-between state. */
export type Handler = (request: FakeRequest) => FakeResponse | unknown;

function isFakeResponse(value: unknown): value is FakeResponse {
  return typeof value === 'object' && value !== null && 'body' in value;
}

/**
 * A stand-in for the server's POST /graphql: answers by operation name and
 * records every request so tests can look at variables and headers.
 */
export function fakeServer(handlers: Record<string, Handler>) {
  const requests: FakeRequest[] = [];
  const fetch = vi.fn(async (_url: RequestInfo | URL, init?: RequestInit) => {
    const body = JSON.parse(String(init?.body)) as GraphQLRequestBody;
    const request = { body, headers: new Headers(init?.headers) };
    requests.push(request);
    const handler = body.operationName ? handlers[body.operationName] : undefined;
    if (!handler) {
      return Response.json({ errors: [{ message: `no fake for ${body.operationName}` }] }, { status: 200 });
    }
    const answer: unknown = await handler(request);
    const { status = 200, body: json } = isFakeResponse(answer) ? answer : { body: answer };
    return Response.json(json, { status });
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, requests };
}

export function gqlError(message: string, code: string, extra: Record<string, unknown> = {}) {
  return { data: null, errors: [{ message, extensions: { code, ...extra } }] };
}

export const ME = {
  me: {
    __typename: 'User',
    id: 'user-1',
    email: 'admin@acme.test',
    name: 'Ada Admin',
    role: 'SUPER_ADMIN',
    organization: { __typename: 'Organization', id: 'org-1', name: 'Acme' },
  },
};
