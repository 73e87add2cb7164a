import { describe, expect, it } from 'vitest';
import { CombinedError } from 'urql';
import { GraphQLError } from 'graphql';
import { errorCode, errorField, errorMessage, isUnauthenticated } from './errors';

function graphQLError(message: string, extensions: Record<string, unknown>) {
  return new CombinedError({ graphQLErrors: [new GraphQLError(message, { extensions })] });
}

describe('GraphQL errors', () => {
  it('shows the server message without urql prefixes', () => {
    const error = graphQLError('Wrong e-mail or password', { code: 'UNAUTHENTICATED' });
    expect(errorMessage(error)).toBe('Wrong e-mail or password');
    expect(errorCode(error)).toBe('UNAUTHENTICATED');
  });

  it('names the field of a BAD_USER_INPUT error', () => {
    const error = graphQLError('email: expected an e-mail address', { code: 'BAD_USER_INPUT', field: 'email' });
    expect(errorField(error)).toBe('email');
    expect(errorField(graphQLError('x', { code: 'CONFLICT' }))).toBeUndefined();
  });

  it('recognises a rejected session by code or by HTTP 401', () => {
    expect(isUnauthenticated(graphQLError('expired', { code: 'UNAUTHENTICATED' }))).toBe(true);
    expect(isUnauthenticated(graphQLError('no', { code: 'FORBIDDEN' }))).toBe(false);
    const http401 = new CombinedError({
      networkError: new Error('Unauthorized'),
      response: new Response('', { status: 401 }),
    });
    expect(isUnauthenticated(http401)).toBe(true);
  });

  it('explains network failures in plain words', () => {
    const offline = new CombinedError({ networkError: new TypeError('Failed to fetch') });
    expect(errorMessage(offline)).toMatch(/cannot reach the server/i);
    const crashed = new CombinedError({ networkError: new Error('x'), response: new Response('', { status: 502 }) });
    expect(errorMessage(crashed)).toMatch(/server had a problem/i);
  });
});
