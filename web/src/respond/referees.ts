import type { RefereeInput, RelationshipKind } from '../gql/graphql';
import type { Messages } from './i18n';

/** One referee row of the nomination form. */
export interface RefereeDraft {
  name: string;
  email: string;
  phone: string;
  relationship: RelationshipKind | null;
}

export function emptyReferees(count: number, kinds: readonly RelationshipKind[]): RefereeDraft[] {
  const relationship = kinds.length === 1 ? kinds[0] : null;
  return Array.from({ length: count }, () => ({ name: '', email: '', phone: '', relationship }));
}

/** The same shape check as the server's (`validate::email`). */
export function isEmail(raw: string): boolean {
  const email = raw.trim().toLowerCase();
  if (email === '' || email.length > 320 || /[\s\p{Cc}]/u.test(email)) return false;
  const at = email.indexOf('@');
  if (at <= 0) return false;
  const domain = email.slice(at + 1);
  return domain.includes('.') && !domain.startsWith('.') && !domain.endsWith('.') && !domain.includes('@');
}

const PHONE = /^[0-9 +\-()./]{1,40}$/;

/**
 * The form's problems, keyed like the server's fields (`referees[1].email`),
 * in the page's language. The server checks again, and also refuses the
 * candidate's own address, which the page does not know.
 */
export function refereeErrors(list: readonly RefereeDraft[], t: Messages): Record<string, string> {
  const errors: Record<string, string> = {};
  const seen = new Set<string>();
  list.forEach((r, i) => {
    const at = (f: string) => `referees[${i}].${f}`;
    if (r.name.trim() === '') errors[at('name')] = t.nameRequired;
    const email = r.email.trim().toLowerCase();
    if (!isEmail(email)) errors[at('email')] = t.invalidEmail;
    else if (seen.has(email)) errors[at('email')] = t.duplicateEmail;
    seen.add(email);
    if (r.phone.trim() !== '' && !PHONE.test(r.phone.trim())) errors[at('phone')] = t.invalidPhone;
    if (!r.relationship) errors[at('relationship')] = t.relationshipRequired;
  });
  return errors;
}

export function refereeInputs(list: readonly RefereeDraft[]): RefereeInput[] {
  return list.map((r) => ({
    name: r.name.trim(),
    email: r.email.trim(),
    phone: r.phone.trim() === '' ? null : r.phone.trim(),
    relationship: r.relationship ?? 'OTHER',
  }));
}

/**
 * A refusal from the server in the page's language when it is one the page
 * knows (its messages are English); otherwise the server's own words.
 */
export function localizeServerMessage(message: string, t: Messages): string {
  const text = message.replace(/^[\w[\].]+: /, '');
  if (text.includes('your own address')) return t.ownEmail;
  if (text.includes('named twice')) return t.duplicateEmail;
  if (text.includes('expected an e-mail address') || text.includes('enter an e-mail address')) return t.invalidEmail;
  if (text.includes('a phone number')) return t.invalidPhone;
  if (text.includes('must not be empty')) return t.nameRequired;
  if (text.includes('already submitted')) return t.alreadySubmitted;
  return text;
}
