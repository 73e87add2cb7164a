import type { AnswerInput, QuestionType } from '../gql/graphql';

/** Longest free-text answer the server accepts, in characters. */
export const MAX_TEXT = 20_000;

/** The form's answers by question index; an empty string is "not answered". */
export type Draft = Record<number, string>;

export interface QuestionLike {
  index: number;
  type: QuestionType;
  options: string[];
}

/** The saved answers as a draft to resume from. */
export function draftFrom(answers: readonly { question: number; value: string }[]): Draft {
  const draft: Draft = {};
  for (const a of answers) draft[a.question] = a.value;
  return draft;
}

/** Length as the server counts it (Unicode characters, not UTF-16 units). */
export function textLength(value: string): number {
  return [...value].length;
}

/** The answers to send, in question order, leaving out unanswered ones. */
export function answerInputs(draft: Draft, questions: readonly QuestionLike[]): AnswerInput[] {
  return questions
    .map((q) => ({ question: q.index, value: (draft[q.index] ?? '').trim() }))
    .filter((a) => a.value !== '');
}

/** What is wrong with one answer, as a key of the dictionary; null when fine. */
export type AnswerProblem = 'answerRequired' | 'tooLong' | null;

export function answerProblem(question: QuestionLike, value: string | undefined, complete: boolean): AnswerProblem {
  const v = (value ?? '').trim();
  if (question.type === 'TEXT' && textLength(v) > MAX_TEXT) return 'tooLong';
  if (complete && v === '') return 'answerRequired';
  return null;
}

/** The problem of every question that has one (`complete`: submitting, so all must be answered). */
export function problems(draft: Draft, questions: readonly QuestionLike[], complete: boolean): Record<number, AnswerProblem> {
  const out: Record<number, AnswerProblem> = {};
  for (const q of questions) {
    const p = answerProblem(q, draft[q.index], complete);
    if (p) out[q.index] = p;
  }
  return out;
}

/**
 * The question a server error names. The server names the position in the
 * list that was sent (`answers[2].value`), which is not the question's index
 * when some were left out; `sent` is that list.
 */
export function questionOfField(field: string | undefined, sent: readonly AnswerInput[]): number | undefined {
  const match = field?.match(/^answers\[(\d+)\]/);
  if (!match) return undefined;
  return sent[Number(match[1])]?.question;
}

/** Two drafts with the same answers (ignoring surrounding spaces). */
export function sameAnswers(a: Draft, b: Draft): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)].map(Number));
  for (const k of keys) if ((a[k] ?? '').trim() !== (b[k] ?? '').trim()) return false;
  return true;
}
