/**
 * Reads the `exp` claim (seconds since the epoch) of a JWT without verifying it.
 * The server is the authority on validity; this only lets the app drop a token
 * it already knows to be expired instead of sending it.
 */
export function jwtExpiry(token: string): number | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    const base64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
    const claims: unknown = JSON.parse(atob(padded));
    if (claims && typeof claims === 'object' && 'exp' in claims && typeof claims.exp === 'number') {
      return claims.exp;
    }
    return null;
  } catch {
    return null;
  }
}

export function isExpired(token: string, nowMs: number = Date.now()): boolean {
  const exp = jwtExpiry(token);
  return exp !== null && exp * 1000 <= nowMs;
}
