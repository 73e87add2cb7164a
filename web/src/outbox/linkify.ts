/**
 * Splits plain text into text and web links, so an e-mail body can be shown
 * as text (React escapes it: nothing in it becomes markup) with only its
 * http(s) addresses made clickable. Anything else that looks like a scheme
 * (`javascript:`, `data:`, `mailto:`) stays text.
 */
export type Piece = { text: string } | { text: string; href: string };

/** A run of characters that may be a web address (stops at spaces, quotes and angle brackets). */
const CANDIDATE = /https?:\/\/[^\s<>"'`]+/gi;
/** Sentence punctuation that ends a link in prose rather than belonging to it. */
const TRAILING = /[.,;:!?'"]+$/;

/** `url` without trailing punctuation, and without a closing bracket it did not open. */
function trimUrl(url: string): string {
  let end = url.replace(TRAILING, '');
  for (;;) {
    const last = end.at(-1);
    const open = last === ')' ? '(' : last === ']' ? '[' : last === '}' ? '{' : undefined;
    if (!open) break;
    const opened = end.split(open).length - 1;
    const closed = end.split(last as string).length - 1;
    if (closed <= opened) break;
    end = end.slice(0, -1).replace(TRAILING, '');
  }
  return end;
}

/** The address as the browser would follow it, or undefined when it is not an http(s) URL with a host. */
function webUrl(candidate: string): string | undefined {
  try {
    const url = new URL(candidate);
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) return undefined;
    return url.href;
  } catch {
    return undefined;
  }
}

export function linkify(text: string): Piece[] {
  const pieces: Piece[] = [];
  let rest = 0;
  const push = (piece: Piece) => {
    const last = pieces.at(-1);
    if (last && !('href' in last) && !('href' in piece)) last.text += piece.text;
    else if (piece.text) pieces.push(piece);
  };
  for (const match of text.matchAll(CANDIDATE)) {
    const start = match.index;
    const raw = trimUrl(match[0]);
    const href = webUrl(raw);
    if (!href) continue;
    push({ text: text.slice(rest, start) });
    push({ text: raw, href });
    rest = start + raw.length;
  }
  push({ text: text.slice(rest) });
  return pieces;
}
