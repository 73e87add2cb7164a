import { describe, expect, it } from 'vitest';
import { parseOAuthCallback, withoutCallbackParams } from './oauthCallback';

describe('parseOAuthCallback', () => {
  it('reads a successful connection', () => {
    expect(parseOAuthCallback('?lever=connected&connection=c-1')).toEqual({ kind: 'connected', connectionId: 'c-1' });
  });

  it("reads a failure with the server's message", () => {
    expect(parseOAuthCallback('?lever_error=denied&message=access+was+denied+in+Lever')).toEqual({
      kind: 'error',
      code: 'denied',
      message: 'access was denied in Lever',
    });
  });

  it('falls back to plain words per code when the message is missing', () => {
    expect(parseOAuthCallback('?lever_error=expired_state')).toMatchObject({ message: expect.stringMatching(/10 minutes/) });
    expect(parseOAuthCallback('?lever_error=something_new')).toMatchObject({ message: expect.stringMatching(/could not be connected/) });
  });

  it('keeps a hand-made message short and on one line', () => {
    const long = encodeURIComponent(`line one\nline two ${'x'.repeat(1000)}`);
    const parsed = parseOAuthCallback(`?lever_error=denied&message=${long}`);
    expect(parsed?.kind).toBe('error');
    if (parsed?.kind !== 'error') return;
    expect(parsed.message).not.toContain('\n');
    expect(parsed.message.length).toBeLessThanOrEqual(300);
  });

  it('ignores addresses without callback parameters', () => {
    expect(parseOAuthCallback('')).toBeNull();
    expect(parseOAuthCallback('?lever=maybe&tab=2')).toBeNull();
  });
});

describe('withoutCallbackParams', () => {
  it('drops only the callback parameters', () => {
    expect(withoutCallbackParams('?lever=connected&connection=c-1&tab=2').toString()).toBe('tab=2');
    expect(withoutCallbackParams('?lever_error=denied&message=no').toString()).toBe('');
  });
});
