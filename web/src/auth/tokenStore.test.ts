import { describe, expect, it, vi } from 'vitest';
import { fakeJwt } from '../test/jwt';
import { TOKEN_KEY, tokenStore } from './tokenStore';

describe('tokenStore', () => {
  it('keeps the token in localStorage', () => {
    const token = fakeJwt();
    expect(tokenStore.get()).toBeNull();
    tokenStore.set(token);
    expect(tokenStore.get()).toBe(token);
    expect(window.localStorage.getItem(TOKEN_KEY)).toBe(token);
    tokenStore.clear();
    expect(tokenStore.get()).toBeNull();
    expect(window.localStorage.getItem(TOKEN_KEY)).toBeNull();
  });

  it('tells subscribers about changes, until they unsubscribe', () => {
    const listener = vi.fn();
    const unsubscribe = tokenStore.subscribe(listener);
    tokenStore.set(fakeJwt());
    tokenStore.clear();
    expect(listener).toHaveBeenCalledTimes(2);
    tokenStore.clear(); // nothing to clear: no news
    expect(listener).toHaveBeenCalledTimes(2);
    unsubscribe();
    tokenStore.set(fakeJwt());
    expect(listener).toHaveBeenCalledTimes(2);
  });

  it('hears about sign-in and sign-out in other tabs', () => {
    const listener = vi.fn();
    const unsubscribe = tokenStore.subscribe(listener);
    window.dispatchEvent(new StorageEvent('storage', { key: TOKEN_KEY }));
    window.dispatchEvent(new StorageEvent('storage', { key: 'something-else' }));
    expect(listener).toHaveBeenCalledTimes(1);
    unsubscribe();
  });

  it('treats an expired token as signed out', () => {
    window.localStorage.setItem(TOKEN_KEY, fakeJwt({ exp: Math.floor(Date.now() / 1000) - 10 }));
    expect(tokenStore.get()).toBeNull();
  });
});
