import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { fakeServer, gqlError, type FakeRequest } from '../test/fakeServer';
import { nominationCheck, publicCheck } from '../test/checks';
import { renderApp } from '../test/renderApp';
import { MESSAGES } from './i18n';

const sent = (requests: FakeRequest[], operation: string) =>
  requests.filter((r) => r.body.operationName === operation).map((r) => r.body.variables);

async function answerAll(user: ReturnType<typeof userEvent.setup>, yes = 'Yes', choice = 'Later') {
  await user.type(screen.getByLabelText(/What are you proudest of/), 'Shipped the robot');
  await user.click(within(screen.getByTestId('question-1')).getByLabelText('4'));
  await user.click(within(screen.getByTestId('question-2')).getByLabelText(yes));
  await user.click(within(screen.getByTestId('question-3')).getByLabelText(choice));
}

describe('the self-assessment page', () => {
  it("speaks the check's language: every text in Swedish", async () => {
    const server = fakeServer({ PublicCheck: () => ({ data: { publicCheck: publicCheck({ language: 'SV' }) } }) });
    renderApp('/respond/tok-1', server.fetch);
    const sv = MESSAGES.SV;
    expect(await screen.findByRole('heading', { name: sv.titleSelfAssessment })).toBeInTheDocument();
    expect(screen.getByText(sv.introSelfAssessment('Acme Robotics', 'Robot Whisperer'))).toBeInTheDocument();
    expect(screen.getByText(/Länken fungerar till och med 15 mars 2026/)).toBeInTheDocument();
    expect(screen.getByLabelText('Ja')).toBeInTheDocument();
    expect(screen.getByLabelText('Nej')).toBeInTheDocument();
    expect(screen.getByText('Fråga 1 av 4')).toBeInTheDocument();
    expect(screen.getByTestId('question-0-counter')).toHaveTextContent(/^0 \/ 20\s000 tecken$/);
    expect(screen.getByRole('button', { name: sv.saveDraft })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: sv.submit })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: sv.decline })).toBeInTheDocument();
    expect(screen.queryByRole('navigation')).not.toBeInTheDocument();
    expect(server.requests[0].headers.get('authorization')).toBeNull();
  });

  it('resumes a draft, saves it, then submits after confirming and shows the answers read-only', async () => {
    const user = userEvent.setup();
    const server = fakeServer({
      PublicCheck: () => ({
        data: { publicCheck: publicCheck({ status: 'IN_PROGRESS', answers: [{ __typename: 'Answer', question: 0, value: 'Shipped' }] }) },
      }),
      SaveAnswers: ({ body }) => ({
        data: { saveAnswers: publicCheck({ status: 'IN_PROGRESS', answers: body.variables?.answers }) },
      }),
      SubmitAnswers: ({ body }) => ({
        data: {
          submitAnswers: publicCheck({
            status: 'COMPLETED',
            submitted: true,
            answers: (body.variables?.answers as { question: number; value: string }[]).map((a) => ({ __typename: 'Answer', ...a })),
          }),
        },
      }),
    });
    renderApp('/respond/tok-1', server.fetch);
    const text = await screen.findByLabelText(/What are you proudest of/);
    expect(text).toHaveValue('Shipped');
    expect(screen.getByTestId('question-0-counter')).toHaveTextContent('7 / 20,000 characters');

    await user.type(text, ' the robot');
    expect(screen.getByTestId('draft-status')).toHaveTextContent(MESSAGES.EN.unsaved);
    await user.click(within(screen.getByTestId('question-1')).getByLabelText('4'));
    await user.click(screen.getByRole('button', { name: 'Save draft' }));
    await waitFor(() => expect(screen.getByTestId('draft-status')).toHaveTextContent(/Draft saved at/));
    expect(sent(server.requests, 'SaveAnswers')).toEqual([
      {
        token: 'tok-1',
        answers: [
          { question: 0, value: 'Shipped the robot' },
          { question: 1, value: '4' },
        ],
      },
    ]);

    // Submitting with questions left out names them and sends nothing.
    await user.click(screen.getByRole('button', { name: 'Submit' }));
    expect(await screen.findByText(MESSAGES.EN.fixErrors)).toBeInTheDocument();
    expect(screen.getAllByText(MESSAGES.EN.answerRequired)).toHaveLength(2);
    expect(sent(server.requests, 'SubmitAnswers')).toEqual([]);

    await user.click(within(screen.getByTestId('question-2')).getByLabelText('Yes'));
    await user.click(within(screen.getByTestId('question-3')).getByLabelText('Later'));
    await user.click(screen.getByRole('button', { name: 'Submit' }));
    await user.click(await screen.findByTestId('confirm-submit'));
    const done = await screen.findByTestId('submitted');
    expect(within(done).getByText(MESSAGES.EN.submittedBody)).toBeInTheDocument();
    expect(within(done).getByText('Shipped the robot')).toBeInTheDocument();
    expect(within(done).getByText('4 / 5')).toBeInTheDocument();
    expect(within(done).getByText('Yes')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Submit' })).not.toBeInTheDocument();
    expect(screen.queryByRole('textbox')).not.toBeInTheDocument();
    expect(sent(server.requests, 'SubmitAnswers')).toEqual([
      {
        token: 'tok-1',
        answers: [
          { question: 0, value: 'Shipped the robot' },
          { question: 1, value: '4' },
          { question: 2, value: 'yes' },
          { question: 3, value: 'Later' },
        ],
      },
    ]);
  }, 30_000);

  it('refuses an answer over 20,000 characters before sending, and shows the counter over the limit', async () => {
    const user = userEvent.setup();
    const server = fakeServer({ PublicCheck: () => ({ data: { publicCheck: publicCheck() } }) });
    renderApp('/respond/tok-1', server.fetch);
    fireEvent.change(await screen.findByLabelText(/What are you proudest of/), { target: { value: 'x'.repeat(20_001) } });
    expect(screen.getByTestId('question-0-counter')).toHaveTextContent('20,001 / 20,000 characters');
    await user.click(screen.getByRole('button', { name: 'Save draft' }));
    expect(await screen.findByText('Please shorten this answer to at most 20,000 characters.')).toBeInTheDocument();
    expect(sent(server.requests, 'SaveAnswers')).toEqual([]);
  });

  it("shows the server's refusal under the question it names", async () => {
    const user = userEvent.setup();
    const server = fakeServer({
      PublicCheck: () => ({ data: { publicCheck: publicCheck() } }),
      SaveAnswers: () => gqlError('answers[1].value: "yes" or "no"', 'BAD_USER_INPUT', { field: 'answers[1].value' }),
    });
    renderApp('/respond/tok-1', server.fetch);
    await user.type(await screen.findByLabelText(/What are you proudest of/), 'a');
    await user.click(within(screen.getByTestId('question-2')).getByLabelText('No'));
    await user.click(screen.getByRole('button', { name: 'Save draft' }));
    // The second answer sent was question 3 (index 2), not question 2.
    const q = await screen.findByTestId('question-2');
    expect(await within(q).findByText('"yes" or "no"')).toBeInTheDocument();
  });

  it('submitted answers cannot be changed: the page opens read-only', async () => {
    const server = fakeServer({
      PublicCheck: () => ({
        data: {
          publicCheck: publicCheck({
            status: 'COMPLETED',
            submitted: true,
            answers: [{ __typename: 'Answer', question: 0, value: 'Done it' }],
          }),
        },
      }),
    });
    renderApp('/respond/tok-1', server.fetch);
    expect(await screen.findByTestId('submitted')).toBeInTheDocument();
    expect(screen.getByText('Done it')).toBeInTheDocument();
    expect(screen.getAllByText('(no answer)')).toHaveLength(3);
    expect(screen.queryByRole('button', { name: 'Save draft' })).not.toBeInTheDocument();
  });

  it('a candidate can decline, after confirming', async () => {
    const user = userEvent.setup();
    const server = fakeServer({
      PublicCheck: () => ({ data: { publicCheck: publicCheck() } }),
      DeclineCheck: () => ({ data: { declineCheck: publicCheck({ status: 'DECLINED' }) } }),
    });
    renderApp('/respond/tok-1', server.fetch);
    await user.click(await screen.findByRole('button', { name: MESSAGES.EN.decline }));
    await user.click(await screen.findByTestId('confirm-decline'));
    expect(await screen.findByTestId('closed')).toHaveTextContent(MESSAGES.EN.closed.DECLINED);
    expect(sent(server.requests, 'DeclineCheck')).toEqual([{ token: 'tok-1' }]);
  });

  it('a closed check says so in its language and offers no form', async () => {
    const server = fakeServer({ PublicCheck: () => ({ data: { publicCheck: publicCheck({ status: 'CANCELLED', language: 'FR' }) } }) });
    renderApp('/respond/tok-1', server.fetch);
    expect(await screen.findByTestId('closed')).toHaveTextContent(MESSAGES.FR.closed.CANCELLED);
    expect(screen.queryByRole('button', { name: MESSAGES.FR.submit })).not.toBeInTheDocument();
  });
});

describe('a link that does not work', () => {
  it('explains an expired link', async () => {
    const server = fakeServer({
      PublicCheck: () => gqlError('this link expired on 2026-03-01; ask the company that sent it for a new one', 'EXPIRED'),
    });
    renderApp('/respond/old', server.fetch);
    expect(await screen.findByRole('alert')).toHaveTextContent(MESSAGES.EN.expiredLinkTitle);
    expect(screen.getByRole('alert')).toHaveTextContent(MESSAGES.EN.expiredLinkBody);
  });

  it('explains an unknown link', async () => {
    const server = fakeServer({ PublicCheck: () => gqlError('link not found', 'NOT_FOUND') });
    renderApp('/respond/nope', server.fetch);
    expect(await screen.findByRole('alert')).toHaveTextContent(MESSAGES.EN.unknownLinkTitle);
  });

  it('offers to try again when the server cannot be reached', async () => {
    let calls = 0;
    const server = fakeServer({
      PublicCheck: () => (++calls === 1 ? { status: 502, body: { errors: [] } } : { data: { publicCheck: publicCheck() } }),
    });
    const user = userEvent.setup();
    renderApp('/respond/tok-1', server.fetch);
    await user.click(await screen.findByRole('button', { name: MESSAGES.EN.retry }));
    expect(await screen.findByRole('heading', { name: MESSAGES.EN.titleSelfAssessment })).toBeInTheDocument();
  });
});

describe('the referee page', () => {
  it('asks about the candidate and has no decline button', async () => {
    const user = userEvent.setup();
    const server = fakeServer({
      PublicCheck: () => ({ data: { publicCheck: publicCheck({ purpose: 'REFEREE', stepKind: 'REFERENCE_CHECK', language: 'DE' }) } }),
      SubmitAnswers: () => ({ data: { submitAnswers: publicCheck({ purpose: 'REFEREE', submitted: true, language: 'DE' }) } }),
    });
    renderApp('/respond/ref-tok', server.fetch);
    expect(await screen.findByRole('heading', { name: 'Referenz für Sam Candidate' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: MESSAGES.DE.decline })).not.toBeInTheDocument();
    await answerAll(user, 'Ja');
    await user.click(screen.getByRole('button', { name: 'Absenden' }));
    await user.click(await screen.findByTestId('confirm-submit'));
    expect(await screen.findByText(MESSAGES.DE.submittedBody)).toBeInTheDocument();
  });
});

describe('the nomination page', () => {
  async function fillReferee(user: ReturnType<typeof userEvent.setup>, i: number, name: string, email: string, relationship: string) {
    const box = screen.getByTestId(`referee-${i}`);
    await user.type(within(box).getByLabelText(/Full name/), name);
    await user.type(within(box).getByLabelText(/E-mail address/), email);
    await user.click(within(box).getAllByLabelText(/How do you know them/)[0]);
    await user.click(await screen.findByRole('option', { name: relationship }));
  }

  it('checks the form, shows the server refusing the candidate’s own address under that field, then lists the referees', async () => {
    const user = userEvent.setup();
    let attempt = 0;
    const server = fakeServer({
      PublicCheck: () => ({ data: { publicCheck: nominationCheck() } }),
      NominateReferees: () =>
        ++attempt === 1
          ? gqlError('referees[1].email: this is your own address; name someone who can speak about your work', 'BAD_USER_INPUT', {
              field: 'referees[1].email',
            })
          : {
              data: {
                nominateReferees: nominationCheck({
                  status: 'AWAITING_REFEREES',
                  referees: [
                    { __typename: 'PublicReferee', name: 'Rita Ref', relationship: 'MANAGER', answered: false },
                    { __typename: 'PublicReferee', name: 'Pete Peer', relationship: 'PEER', answered: true },
                  ],
                }),
              },
            },
    });
    renderApp('/respond/nom-tok', server.fetch);
    expect(await screen.findByRole('heading', { name: 'Name your referees' })).toBeInTheDocument();
    expect(screen.getAllByTestId(/^referee-\d$/)).toHaveLength(2);

    await fillReferee(user, 0, 'Rita Ref', 'rita@refs.test', 'My manager');
    await user.type(within(screen.getByTestId('referee-1')).getByLabelText(/E-mail address/), 'not-an-address');
    await user.click(screen.getByRole('button', { name: 'Send to my referees' }));
    const second = screen.getByTestId('referee-1');
    expect(await within(second).findByText(MESSAGES.EN.invalidEmail)).toBeInTheDocument();
    expect(within(second).getByText(MESSAGES.EN.nameRequired)).toBeInTheDocument();
    expect(sent(server.requests, 'NominateReferees')).toEqual([]);

    const email = within(second).getByLabelText(/E-mail address/);
    await user.clear(email);
    await fillReferee(user, 1, 'Pete Peer', 'sam@cand.test', 'A colleague');
    await user.click(screen.getByRole('button', { name: 'Send to my referees' }));
    expect(await within(screen.getByTestId('referee-1')).findByText(MESSAGES.EN.ownEmail)).toBeInTheDocument();
    expect(sent(server.requests, 'NominateReferees')[0]).toEqual({
      token: 'nom-tok',
      referees: [
        { name: 'Rita Ref', email: 'rita@refs.test', phone: null, relationship: 'MANAGER' },
        { name: 'Pete Peer', email: 'sam@cand.test', phone: null, relationship: 'PEER' },
      ],
    });

    await user.clear(within(screen.getByTestId('referee-1')).getByLabelText(/E-mail address/));
    await user.type(within(screen.getByTestId('referee-1')).getByLabelText(/E-mail address/), 'pete@refs.test');
    await user.click(screen.getByRole('button', { name: 'Send to my referees' }));
    const named = await screen.findByTestId('nominated');
    expect(within(named).getByText(MESSAGES.EN.nominatedTitle)).toBeInTheDocument();
    expect(within(named).getByText('Rita Ref')).toBeInTheDocument();
    expect(within(named).getByText('My manager')).toBeInTheDocument();
    expect(within(named).getByText(MESSAGES.EN.answered)).toBeInTheDocument();
    expect(within(named).getByText(MESSAGES.EN.waiting)).toBeInTheDocument();
  }, 30_000);

  it('in Spanish, with the relationship labels translated', async () => {
    const server = fakeServer({ PublicCheck: () => ({ data: { publicCheck: nominationCheck({ language: 'ES', refereesRequired: 1 }) } }) });
    const user = userEvent.setup();
    renderApp('/respond/nom-tok', server.fetch);
    expect(await screen.findByRole('heading', { name: MESSAGES.ES.titleNomination })).toBeInTheDocument();
    expect(screen.getByText(MESSAGES.ES.refereeHeading(1))).toBeInTheDocument();
    await user.click(screen.getAllByLabelText(/De qué conoces/)[0]);
    expect(await screen.findByRole('option', { name: 'Mi responsable' })).toBeInTheDocument();
    expect(screen.getByRole('option', { name: 'Un compañero o compañera' })).toBeInTheDocument();
  });
});
