import { describe, expect, it } from 'vitest';
import { MESSAGES, browserLanguage, formatDate, type Messages } from './i18n';

function texts(m: Messages): string[] {
  return Object.values(m).flatMap((v) => {
    if (typeof v === 'string') return [v];
    if (typeof v === 'function') return [String((v as (...a: unknown[]) => string)('X', 'Y', 2))];
    return Object.values(v as Record<string, string>);
  });
}

describe('the public pages’ dictionaries', () => {
  it('have every text, non-empty, in every language', () => {
    const keys = Object.keys(MESSAGES.EN).sort();
    for (const [language, m] of Object.entries(MESSAGES)) {
      expect(Object.keys(m).sort(), language).toEqual(keys);
      for (const text of texts(m)) expect(text.trim(), language).not.toBe('');
      expect(Object.keys(m.relationships).sort()).toEqual(['MANAGER', 'OTHER', 'PEER', 'REPORT']);
    }
  });

  it('are really translated (no English left in the other languages)', () => {
    const english = new Set(texts(MESSAGES.EN));
    // Words that are the same in two languages are fine ("No", "optional", "Excellent", "Question 1 of 2").
    const same = new Set(['No', 'optional', 'Excellent']);
    for (const language of ['SV', 'FR', 'DE', 'ES'] as const) {
      const left = texts(MESSAGES[language]).filter((t) => english.has(t) && !same.has(t));
      expect(left, language).toEqual([]);
    }
  });

  it("picks the browser's language before the check is known, else English", () => {
    expect(browserLanguage(['de-AT', 'en'])).toBe('DE');
    expect(browserLanguage(['nl-NL', 'sv'])).toBe('SV');
    expect(browserLanguage(['nl-NL'])).toBe('EN');
    expect(browserLanguage([])).toBe('EN');
  });

  it('writes dates in the language of the page', () => {
    expect(formatDate('2026-03-15T10:00:00Z', MESSAGES.EN)).toBe('15 March 2026');
    expect(formatDate('2026-03-15T10:00:00Z', MESSAGES.SV)).toBe('15 mars 2026');
    expect(formatDate('2026-03-15T10:00:00Z', MESSAGES.DE)).toBe('15. März 2026');
  });
});
