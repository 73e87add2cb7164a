import { describe, expect, it } from 'vitest';
import { MESSAGES } from './i18n';
import { emptyReferees, isEmail, localizeServerMessage, refereeErrors, refereeInputs } from './referees';

const t = MESSAGES.EN;

describe('the nomination form', () => {
  it('checks addresses like the server does', () => {
    for (const good of ['ada@example.com', '  Ada@Example.COM ', 'a.b+c@d.co.uk']) expect(isEmail(good), good).toBe(true);
    for (const bad of ['', 'ada', 'ada@', '@example.com', 'ada@example', 'a b@example.com', 'a@b@example.com', 'a@.com'])
      expect(isEmail(bad), bad).toBe(false);
  });

  it('names every problem by the field the server would name', () => {
    const list = emptyReferees(3, ['MANAGER', 'PEER']);
    list[0] = { name: 'Rita', email: 'rita@refs.test', phone: '+46 70 123', relationship: 'MANAGER' };
    list[1] = { name: ' ', email: 'RITA@refs.test', phone: 'call me', relationship: null };
    list[2] = { name: 'Pete', email: 'not-an-address', phone: '', relationship: 'PEER' };
    expect(refereeErrors(list, t)).toEqual({
      'referees[1].name': t.nameRequired,
      'referees[1].email': t.duplicateEmail,
      'referees[1].phone': t.invalidPhone,
      'referees[1].relationship': t.relationshipRequired,
      'referees[2].email': t.invalidEmail,
    });
  });

  it('picks the relationship when only one is asked for, and sends trimmed input', () => {
    expect(emptyReferees(2, ['PEER']).map((r) => r.relationship)).toEqual(['PEER', 'PEER']);
    expect(emptyReferees(1, ['PEER', 'OTHER'])[0].relationship).toBeNull();
    expect(refereeInputs([{ name: ' Rita ', email: ' rita@refs.test ', phone: ' ', relationship: 'MANAGER' }])).toEqual([
      { name: 'Rita', email: 'rita@refs.test', phone: null, relationship: 'MANAGER' },
    ]);
  });

  it("puts the server's refusals in the page's language when it knows them", () => {
    const sv = MESSAGES.SV;
    expect(
      localizeServerMessage('referees[0].email: this is your own address; name someone who can speak about your work', sv),
    ).toBe(sv.ownEmail);
    expect(localizeServerMessage('referees[1].email: expected an e-mail address such as name@example.com', sv)).toBe(
      sv.invalidEmail,
    );
    expect(localizeServerMessage('answers: these answers were already submitted and can no longer change', sv)).toBe(
      sv.alreadySubmitted,
    );
    expect(localizeServerMessage('referees: name exactly 2 referee(s); 1 given', sv)).toBe('name exactly 2 referee(s); 1 given');
  });
});
