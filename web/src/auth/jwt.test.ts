import { describe, expect, it } from 'vitest';
import { fakeJwt } from '../test/jwt';
import { isExpired, jwtExpiry } from './jwt';

describe('jwtExpiry', () => {
  it('reads the exp claim', () => {
    expect(jwtExpiry(fakeJwt({ exp: 1234 }))).toBe(1234);
  });

  it('gives null for something that is not a JWT', () => {
    expect(jwtExpiry('not-a-token')).toBeNull();
    expect(jwtExpiry('a.%%%.c')).toBeNull();
    expect(jwtExpiry(fakeJwt({ exp: 'soon' }))).toBeNull();
  });
});

describe('isExpired', () => {
  it('compares exp with the clock', () => {
    const token = fakeJwt({ exp: 1000 });
    expect(isExpired(token, 999_000)).toBe(false);
    expect(isExpired(token, 1_000_000)).toBe(true);
  });

  it('leaves tokens without exp to the server', () => {
    expect(isExpired('opaque')).toBe(false);
  });
});
