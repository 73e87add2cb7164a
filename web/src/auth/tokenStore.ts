import { isExpired } from './jwt';

/** localStorage key holding the session JWT from the `login` mutation. */
export const TOKEN_KEY = 'vouch.token';

type Listener = () => void;
const listeners = new Set<Listener>();

function notify() {
  for (const listener of listeners) listener();
}

function storage(): Storage | null {
  try {
    return typeof window === 'undefined' ? null : window.localStorage;
  } catch {
    return null;
  }
}

/**
 * The signed-in session, kept in localStorage so that it survives reloads and
 * is shared by tabs. An expired token reads as no token.
 */
export const tokenStore = {
  get(): string | null {
    const token = storage()?.getItem(TOKEN_KEY) ?? null;
    if (!token || isExpired(token)) return null;
    return token;
  },

  set(token: string) {
    storage()?.setItem(TOKEN_KEY, token);
    notify();
  },

  clear() {
    const store = storage();
    if (store?.getItem(TOKEN_KEY) == null) return;
    store.removeItem(TOKEN_KEY);
    notify();
  },

  /** Calls `listener` whenever the token changes, in this tab or another. */
  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    const onStorage = (event: StorageEvent) => {
      if (event.key === null || event.key === TOKEN_KEY) listener();
    };
    window.addEventListener('storage', onStorage);
    return () => {
      listeners.delete(listener);
      window.removeEventListener('storage', onStorage);
    };
  },
};
