import { describe, expect, it } from 'vitest';
import { linkify } from './linkify';

const links = (text: string) => linkify(text).filter((p) => 'href' in p);

describe('linkify', () => {
  it('keeps text without links as one piece', () => {
    expect(linkify('Hello Sam,\n\nNothing to click.')).toEqual([{ text: 'Hello Sam,\n\nNothing to click.' }]);
    expect(linkify('')).toEqual([]);
  });

  it('turns http and https addresses into links, keeping the text around them', () => {
    expect(linkify('Answer here:\n\nhttps://vouch.test/respond/abc_DEF-1\n\nThanks')).toEqual([
      { text: 'Answer here:\n\n' },
      { text: 'https://vouch.test/respond/abc_DEF-1', href: 'https://vouch.test/respond/abc_DEF-1' },
      { text: '\n\nThanks' },
    ]);
    expect(links('a http://127.0.0.1:8080/x?y=1&z=2#top b')).toEqual([
      { text: 'http://127.0.0.1:8080/x?y=1&z=2#top', href: 'http://127.0.0.1:8080/x?y=1&z=2#top' },
    ]);
  });

  it('leaves sentence punctuation and unopened brackets out of the link', () => {
    expect(links('Go to https://a.test/x. Then https://b.test/y, and (https://c.test/z).')).toEqual([
      { text: 'https://a.test/x', href: 'https://a.test/x' },
      { text: 'https://b.test/y', href: 'https://b.test/y' },
      { text: 'https://c.test/z', href: 'https://c.test/z' },
    ]);
    // A bracket the address opened is part of it.
    expect(links('see https://w.test/A_(b)')[0]).toEqual({ text: 'https://w.test/A_(b)', href: 'https://w.test/A_(b)' });
  });

  it('never links other schemes or markup', () => {
    const text = 'javascript:alert(1) data:text/html,<b>x</b> mailto:a@b.test <a href="https://evil.test">x</a> ftp://f.test';
    const pieces = linkify(text);
    // The quoted address inside the markup is stopped at the quote: the markup stays text around it.
    expect(pieces.filter((p) => 'href' in p)).toEqual([{ text: 'https://evil.test', href: 'https://evil.test/' }]);
    expect(pieces.map((p) => p.text).join('')).toBe(text);
  });

  it('skips an address without a host', () => {
    expect(linkify('broken: https:// and http://')).toEqual([{ text: 'broken: https:// and http://' }]);
  });

  it('loses no character', () => {
    const text = 'x https://a.test/1 y\nhttps://b.test/2) z https://c.test';
    expect(linkify(text).map((p) => p.text).join('')).toBe(text);
  });
});
