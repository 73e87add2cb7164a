/** What the server's OAuth callback put in the Integrations page's address. */
export type OAuthCallbackResult =
  | { kind: 'connected'; connectionId: string | null }
  | { kind: 'error'; code: string; message: string };

/** The query parameters the callback uses; removed from the address once read. */
export const CALLBACK_PARAMS = ['lever', 'connection', 'lever_error', 'message'] as const;

/** Plain words for each failure code, used when the server sent no message. */
const FALLBACK_MESSAGES: Record<string, string> = {
  denied: 'access was denied in Lever: nothing was connected',
  wrong_state: 'this Lever answer does not match a connection started here: start again',
  expired_state: 'connecting took longer than 10 minutes: start again',
  missing_code: 'Lever’s answer carried no authorization code: try again',
  exchange_failed: 'Vouch could not finish connecting with Lever: try again',
  not_allowed: 'only a super admin may connect Lever',
};

const MAX_MESSAGE = 300;

/** Reads `?lever=connected&connection=…` or `?lever_error=…&message=…`; null when neither. */
export function parseOAuthCallback(search: string | URLSearchParams): OAuthCallbackResult | null {
  const params = typeof search === 'string' ? new URLSearchParams(search) : search;
  const code = params.get('lever_error')?.trim();
  if (code) {
    // The address can be typed by anyone: keep it short and single-line.
    const given = (params.get('message') ?? '').replace(/\s+/g, ' ').trim().slice(0, MAX_MESSAGE);
    const message = given || FALLBACK_MESSAGES[code] || 'Lever could not be connected: try again';
    return { kind: 'error', code, message };
  }
  if (params.get('lever') === 'connected') {
    return { kind: 'connected', connectionId: params.get('connection') };
  }
  return null;
}

/** `search` without the callback's parameters (other parameters kept). */
export function withoutCallbackParams(search: string | URLSearchParams): URLSearchParams {
  const params = new URLSearchParams(search);
  for (const name of CALLBACK_PARAMS) params.delete(name);
  return params;
}
