import { describe, expect, it } from 'vitest';
import { relativeTime } from './relativeTime';

const NOW = new Date('2030-05-06T12:00:00Z');

describe('relativeTime', () => {
  it('says how long ago in the largest whole unit', () => {
    expect(relativeTime('2030-05-06T11:55:00Z', NOW, 'en')).toBe('5 minutes ago');
    expect(relativeTime('2030-05-06T09:00:00Z', NOW, 'en')).toBe('3 hours ago');
    expect(relativeTime('2030-05-05T12:00:00Z', NOW, 'en')).toBe('yesterday');
    expect(relativeTime('2030-04-20T12:00:00Z', NOW, 'en')).toBe('2 weeks ago');
  });

  it('calls anything under a minute "now", even slightly in the future', () => {
    expect(relativeTime('2030-05-06T11:59:30Z', NOW, 'en')).toBe('now');
    expect(relativeTime('2030-05-06T12:00:05Z', NOW, 'en')).toBe('now');
  });

  it('returns an unreadable time unchanged', () => {
    expect(relativeTime('not a time', NOW, 'en')).toBe('not a time');
  });
});
