import { useCallback, useSyncExternalStore } from 'react';
import { tokenStore } from './tokenStore';

export interface Auth {
  token: string | null;
  signIn: (token: string) => void;
  signOut: () => void;
}

/** The current session token, re-rendering when it changes. */
export function useAuth(): Auth {
  const token = useSyncExternalStore(tokenStore.subscribe, tokenStore.get, () => null);
  const signIn = useCallback((next: string) => tokenStore.set(next), []);
  const signOut = useCallback(() => tokenStore.clear(), []);
  return { token, signIn, signOut };
}
