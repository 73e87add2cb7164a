import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, type CombinedError } from 'urql';
import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import type { AnswerInput, PublicCheckFieldsFragment } from '../gql/graphql';
import { errorCode, errorMessage } from '../graphql/errors';
import { SaveAnswersMutation, SubmitAnswersMutation } from '../graphql/operations/respond';
import { MAX_TEXT, answerInputs, draftFrom, problems, questionOfField, sameAnswers, type Draft } from './answers';
import { DeclineButton } from './DeclineButton';
import { formatNumber, formatTime, type Messages } from './i18n';
import { QuestionField } from './QuestionField';
import { localizeServerMessage } from './referees';

interface QuestionnaireFormProps {
  check: PublicCheckFieldsFragment;
  token: string;
  t: Messages;
  /** The page as the server answered a change. */
  onUpdated: (check: PublicCheckFieldsFragment) => void;
  /** Read the page again (e.g. someone else submitted first). */
  onRefresh: () => void;
}

/**
 * The self-assessment or referee questionnaire: a draft can be saved and
 * resumed from the same link; submitting is final (confirmed first).
 */
export function QuestionnaireForm({ check, token, t, onUpdated, onRefresh }: QuestionnaireFormProps) {
  const [draft, setDraft] = useState<Draft>(() => draftFrom(check.answers));
  const [saved, setSaved] = useState<Draft>(() => draftFrom(check.answers));
  const [savedAt, setSavedAt] = useState<Date | null>(null);
  const [errors, setErrors] = useState<Record<number, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [saveState, save] = useMutation(SaveAnswersMutation);
  const [submitState, submit] = useMutation(SubmitAnswersMutation);
  const questions = check.questions;
  const dirty = !sameAnswers(draft, saved);
  const candidate = check.purpose === 'CANDIDATE_SELF_ASSESSMENT';

  // Leaving with unsaved answers asks first (the browser words the question).
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  function problemText(problem: 'answerRequired' | 'tooLong'): string {
    return problem === 'tooLong' ? t.tooLong(formatNumber(MAX_TEXT, t)) : t.answerRequired;
  }

  /** Shows a client-side problem per question; true when there is none. */
  function checkLocally(complete: boolean): boolean {
    const found = problems(draft, questions, complete);
    const next: Record<number, string> = {};
    for (const [q, p] of Object.entries(found)) if (p) next[Number(q)] = problemText(p);
    setErrors(next);
    setFormError(Object.keys(next).length > 0 ? t.fixErrors : null);
    return Object.keys(next).length === 0;
  }

  function showServerError(error: CombinedError, sent: AnswerInput[]) {
    const first = error.graphQLErrors[0];
    const code = errorCode(error);
    if (code === 'CONFLICT') {
      setFormError(localizeServerMessage(first?.message ?? '', t));
      onRefresh();
      return;
    }
    if (code === 'EXPIRED') {
      setFormError(t.expiredLinkBody);
      return;
    }
    if (!first) {
      setFormError(t.networkError);
      return;
    }
    const field = typeof first.extensions?.field === 'string' ? first.extensions.field : undefined;
    const question = questionOfField(field, sent);
    const message = localizeServerMessage(errorMessage(error), t);
    if (question !== undefined) setErrors({ [question]: message });
    setFormError(question !== undefined ? t.fixErrors : message);
  }

  async function onSave() {
    if (!checkLocally(false)) return;
    const sent = answerInputs(draft, questions);
    const result = await save({ token, answers: sent });
    if (result.error) return showServerError(result.error, sent);
    if (result.data) {
      setSaved(draft);
      setSavedAt(new Date());
      onUpdated(result.data.saveAnswers);
    }
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (checkLocally(true)) setConfirming(true);
  }

  async function onConfirm() {
    setConfirming(false);
    const sent = answerInputs(draft, questions);
    const result = await submit({ token, answers: sent });
    if (result.error) return showServerError(result.error, sent);
    if (result.data) {
      setSaved(draft);
      onUpdated(result.data.submitAnswers);
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="xl">
        {questions.map((q) => (
          <QuestionField
            key={q.index}
            question={q}
            total={questions.length}
            value={draft[q.index] ?? ''}
            onChange={(value) => {
              setDraft((d) => ({ ...d, [q.index]: value }));
              setErrors((e) => {
                const next = { ...e };
                delete next[q.index];
                return next;
              });
            }}
            error={errors[q.index]}
            t={t}
          />
        ))}
        {formError && (
          <Alert color="red" role="alert">
            {formError}
          </Alert>
        )}
        <Group justify="space-between" align="center">
          <Text size="sm" c="dimmed" aria-live="polite" data-testid="draft-status">
            {dirty ? t.unsaved : savedAt ? t.draftSaved(formatTime(savedAt, t)) : ''}
          </Text>
          <Group>
            <Button variant="default" onClick={() => void onSave()} loading={saveState.fetching}>
              {t.saveDraft}
            </Button>
            <Button type="submit" loading={submitState.fetching}>
              {t.submit}
            </Button>
          </Group>
        </Group>
        {candidate && <DeclineButton token={token} t={t} onUpdated={onUpdated} onRefresh={onRefresh} />}
      </Stack>
      <Modal opened={confirming} onClose={() => setConfirming(false)} title={t.confirmSubmitTitle} centered>
        <Stack>
          <Text>{t.confirmSubmitBody}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(false)}>
              {t.back}
            </Button>
            <Button onClick={() => void onConfirm()} data-testid="confirm-submit">
              {t.confirm}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </form>
  );
}
