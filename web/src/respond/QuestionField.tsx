import { Group, Radio, Stack, Text, Textarea } from '@mantine/core';
import type { PublicCheckFieldsFragment } from '../gql/graphql';
import { MAX_TEXT, textLength } from './answers';
import { formatNumber, type Messages } from './i18n';

export type PublicQuestion = PublicCheckFieldsFragment['questions'][number];

interface QuestionFieldProps {
  question: PublicQuestion;
  total: number;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  disabled?: boolean;
  t: Messages;
}

/** One question of a questionnaire, as the input its type needs. */
export function QuestionField({ question, total, value, onChange, error, disabled, t }: QuestionFieldProps) {
  const description = t.questionOf(question.index + 1, total);
  const testId = `question-${question.index}`;
  if (question.type === 'TEXT') {
    const used = textLength(value.trim());
    return (
      <Stack gap={4} data-testid={testId}>
        <Textarea
          label={question.prompt}
          description={description}
          value={value}
          onChange={(e) => onChange(e.currentTarget.value)}
          error={error}
          disabled={disabled}
          autosize
          minRows={3}
          maxRows={14}
        />
        <Text size="xs" c={used > MAX_TEXT ? 'red' : 'dimmed'} ta="right" data-testid={`${testId}-counter`}>
          {t.counter(formatNumber(used, t), formatNumber(MAX_TEXT, t))}
        </Text>
      </Stack>
    );
  }
  const choices: { value: string; label: string }[] =
    question.type === 'RATING_1_5'
      ? ['1', '2', '3', '4', '5'].map((v) => ({ value: v, label: v }))
      : question.type === 'YES_NO'
        ? [
            { value: 'yes', label: t.yes },
            { value: 'no', label: t.no },
          ]
        : question.options.map((o) => ({ value: o, label: o }));
  return (
    <Radio.Group
      label={question.prompt}
      description={description}
      value={value || null}
      onChange={onChange}
      error={error}
      data-testid={testId}
    >
      <Group mt="xs" gap="lg">
        {choices.map((c) => (
          <Radio key={c.value} value={c.value} label={c.label} disabled={disabled} />
        ))}
      </Group>
      {question.type === 'RATING_1_5' && (
        <Text size="xs" c="dimmed" mt={4}>
          1 = {t.ratingLow}, 5 = {t.ratingHigh}
        </Text>
      )}
    </Radio.Group>
  );
}

/** A submitted answer, read-only, in the page's words. */
export function answerText(question: PublicQuestion, value: string | undefined, t: Messages): string {
  if (value === undefined || value === '') return t.noAnswer;
  if (question.type === 'YES_NO') return value === 'yes' ? t.yes : value === 'no' ? t.no : value;
  if (question.type === 'RATING_1_5') return `${value} / 5`;
  return value;
}
