import { describe, expect, it } from 'vitest';
import { MAX_TEXT, answerInputs, draftFrom, problems, questionOfField, sameAnswers, textLength } from './answers';

const QUESTIONS = [
  { index: 0, type: 'TEXT' as const, options: [] },
  { index: 1, type: 'RATING_1_5' as const, options: [] },
  { index: 2, type: 'YES_NO' as const, options: [] },
];

describe('questionnaire answers', () => {
  it('resumes from the saved answers and sends only answered questions, trimmed, in order', () => {
    const draft = draftFrom([
      { question: 2, value: 'yes' },
      { question: 0, value: '  Shipped it  ' },
    ]);
    expect(answerInputs({ ...draft, 1: '' }, QUESTIONS)).toEqual([
      { question: 0, value: 'Shipped it' },
      { question: 2, value: 'yes' },
    ]);
  });

  it('requires every answer only when submitting, and limits text to 20,000 characters', () => {
    expect(problems({ 0: 'x' }, QUESTIONS, false)).toEqual({});
    expect(problems({ 0: 'x' }, QUESTIONS, true)).toEqual({ 1: 'answerRequired', 2: 'answerRequired' });
    expect(problems({ 0: 'x'.repeat(MAX_TEXT) }, QUESTIONS, false)).toEqual({});
    expect(problems({ 0: 'x'.repeat(MAX_TEXT + 1) }, QUESTIONS, false)).toEqual({ 0: 'tooLong' });
  });

  it('counts characters as the server does, not UTF-16 units', () => {
    expect(textLength('😀😀')).toBe(2);
    expect('😀😀'.length).toBe(4);
  });

  it("maps the server's field (a position in the sent list) back to the question", () => {
    const sent = [
      { question: 0, value: 'a' },
      { question: 2, value: 'maybe' },
    ];
    expect(questionOfField('answers[1].value', sent)).toBe(2);
    expect(questionOfField('answers[0].question', sent)).toBe(0);
    expect(questionOfField('answers', sent)).toBeUndefined();
    expect(questionOfField(undefined, sent)).toBeUndefined();
    expect(questionOfField('answers[7].value', sent)).toBeUndefined();
  });

  it('compares drafts ignoring surrounding spaces and missing keys', () => {
    expect(sameAnswers({ 0: 'a ' }, { 0: 'a', 1: '' })).toBe(true);
    expect(sameAnswers({ 0: 'a' }, { 0: 'b' })).toBe(false);
  });
});
