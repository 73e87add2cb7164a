import type { CombinedError } from 'urql';

/** `extensions.code` values the server puts on GraphQL errors. */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'CONFLICT'
  | 'TOO_MANY_ATTEMPTS'
  | 'INTERNAL';

export function errorCode(error: CombinedError | undefined): string | undefined {
  const code = error?.graphQLErrors[0]?.extensions?.code;
  return typeof code === 'string' ? code : undefined;
}

/** For BAD_USER_INPUT: the input field the server named, if any. */
export function errorField(error: CombinedError | undefined): string | undefined {
  const field = error?.graphQLErrors.find((e) => e.extensions?.code === 'BAD_USER_INPUT')?.extensions?.field;
  return typeof field === 'string' ? field : undefined;
}

function httpStatus(error: CombinedError): number | undefined {
  const response: unknown = error.response;
  if (response && typeof response === 'object' && 'status' in response && typeof response.status === 'number') {
    return response.status;
  }
  return undefined;
}

/** True for an HTTP 401 or a GraphQL error coded UNAUTHENTICATED. */
export function isUnauthenticated(error: CombinedError): boolean {
  return (
    httpStatus(error) === 401 ||
    error.graphQLErrors.some((e) => e.extensions?.code === 'UNAUTHENTICATED')
  );
}

/** The message to show a person: the server's own words when it sent some. */
export function errorMessage(error: CombinedError): string {
  const messages = error.graphQLErrors.map((e) => e.message).filter(Boolean);
  if (messages.length > 0) return [...new Set(messages)].join('\n');
  const status = httpStatus(error);
  if (status === 429) return 'Too many requests. Please wait a moment and try again.';
  if (status !== undefined && status >= 500) return 'The server had a problem. Please try again.';
  if (error.networkError) return 'Cannot reach the server. Check your connection and try again.';
  return error.message;
}
