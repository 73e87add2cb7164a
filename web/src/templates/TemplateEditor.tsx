import { useState } from 'react';
import { useMutation } from 'urql';
import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Card,
  Group,
  MultiSelect,
  NumberInput,
  Select,
  Stack,
  TagsInput,
  Text,
  TextInput,
} from '@mantine/core';
import type { Language, QuestionType, RelationshipKind, StepKind, TemplateFieldsFragment, TemplateStepInput } from '../gql/graphql';
import { messageFor, saveError, type SaveError } from '../graphql/fieldErrors';
import { CreateTemplateMutation, UpdateTemplateMutation } from '../graphql/operations/templates';
import { LANGUAGES, STEP_KINDS, languageName } from '../rules/labels';

const QUESTION_TYPES: { value: QuestionType; label: string }[] = [
  { value: 'TEXT', label: 'Free text' },
  { value: 'RATING_1_5', label: 'Rating 1–5' },
  { value: 'YES_NO', label: 'Yes / no' },
  { value: 'CHOICE', label: 'Choice' },
];

const RELATIONSHIPS: { value: RelationshipKind; label: string }[] = [
  { value: 'MANAGER', label: 'Manager' },
  { value: 'PEER', label: 'Peer' },
  { value: 'REPORT', label: 'Report' },
  { value: 'OTHER', label: 'Other' },
];

interface QuestionDraft {
  prompt: string;
  type: QuestionType;
  options: string[];
}
interface StepDraft {
  id?: string;
  kind: StepKind;
  refereesRequired: number | null;
  relationshipKinds: RelationshipKind[];
  questionnaires: { language: Language; questions: QuestionDraft[] }[];
  missingLanguages: Language[];
}

function draftSteps(template: TemplateFieldsFragment | undefined, defaultLanguage: Language): StepDraft[] {
  if (!template) {
    return [
      {
        kind: 'SELF_ASSESSMENT',
        refereesRequired: null,
        relationshipKinds: [],
        questionnaires: [{ language: defaultLanguage, questions: [{ prompt: '', type: 'TEXT', options: [] }] }],
        missingLanguages: [],
      },
    ];
  }
  return [...template.steps]
    .sort((a, b) => a.position - b.position)
    .map((s) => ({
      id: s.id,
      kind: s.kind,
      refereesRequired: s.refereesRequired ?? null,
      relationshipKinds: s.relationshipKinds,
      questionnaires: s.questionnaires.map((q) => ({
        language: q.language,
        questions: q.questions.map((x) => ({ prompt: x.prompt, type: x.type, options: x.options })),
      })),
      missingLanguages: s.missingLanguages,
    }));
}

/**
 * Creates or edits a template: its name and steps (kind; for reference
 * checks, how many referees and which relationships), each step with one
 * questionnaire per language. Languages a step lacks (that other steps
 * have) are shown per step; what the server refuses is shown under the
 * field it names.
 */
export function TemplateEditor({
  template,
  defaultLanguage,
  onDone,
}: {
  template?: TemplateFieldsFragment;
  defaultLanguage: Language;
  onDone: () => void;
}) {
  const [create, createTemplate] = useMutation(CreateTemplateMutation);
  const [update, updateTemplate] = useMutation(UpdateTemplateMutation);
  const [name, setName] = useState(template?.name ?? '');
  const [steps, setSteps] = useState<StepDraft[]>(() => draftSteps(template, defaultLanguage));
  const result = template ? update : create;
  const error = saveError(result.error);

  const changeStep = (i: number, change: Partial<StepDraft>) =>
    setSteps((all) => all.map((s, j) => (j === i ? { ...s, ...change } : s)));

  async function onSave() {
    const input: TemplateStepInput[] = steps.map((s) => ({
      id: s.id,
      kind: s.kind,
      refereesRequired: s.kind === 'REFERENCE_CHECK' ? s.refereesRequired : null,
      relationshipKinds: s.kind === 'REFERENCE_CHECK' ? s.relationshipKinds : [],
      questionnaires: s.questionnaires.map((q) => ({
        language: q.language,
        questions: q.questions.map((x) => ({ prompt: x.prompt, type: x.type, options: x.type === 'CHOICE' ? x.options : [] })),
      })),
    }));
    const answer = template
      ? await updateTemplate({ id: template.id, input: { name, steps: input } })
      : await createTemplate({ input: { name, steps: input } });
    if (answer.data) onDone();
  }

  return (
    <Stack gap="sm" data-testid="template-editor">
      <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} error={messageFor(error, 'name')} />
      {steps.map((step, i) => (
        <StepEditor
          key={step.id ?? `new-${i}`}
          index={i}
          step={step}
          error={error}
          onChange={(change) => changeStep(i, change)}
          onRemove={steps.length > 1 ? () => setSteps((all) => all.filter((_, j) => j !== i)) : undefined}
        />
      ))}
      {messageFor(error, 'steps') && (
        <Text size="sm" c="red">
          {messageFor(error, 'steps')}
        </Text>
      )}
      <Group>
        <Button
          variant="default"
          onClick={() =>
            setSteps((all) => [
              ...all,
              {
                kind: 'REFERENCE_CHECK',
                refereesRequired: 2,
                relationshipKinds: ['MANAGER'],
                questionnaires: [{ language: defaultLanguage, questions: [{ prompt: '', type: 'TEXT', options: [] }] }],
                missingLanguages: [],
              },
            ])
          }
        >
          Add step
        </Button>
      </Group>
      {error && (
        <Alert color="red" role="alert" title="The template was not saved">
          {error.message}
        </Alert>
      )}
      <Group>
        <Button onClick={onSave} loading={result.fetching}>
          Save template
        </Button>
        <Button variant="default" onClick={onDone}>
          Cancel
        </Button>
      </Group>
    </Stack>
  );
}

function StepEditor({
  index,
  step,
  error,
  onChange,
  onRemove,
}: {
  index: number;
  step: StepDraft;
  error: SaveError | null;
  onChange: (change: Partial<StepDraft>) => void;
  onRemove?: () => void;
}) {
  const field = `steps[${index}]`;
  const used = step.questionnaires.map((q) => q.language);
  const setQuestions = (j: number, questions: QuestionDraft[]) =>
    onChange({ questionnaires: step.questionnaires.map((q, k) => (k === j ? { ...q, questions } : q)) });

  return (
    <Card withBorder padding="md" aria-label={`Step ${index + 1}`} data-testid="template-step">
      <Stack gap="xs">
        <Group justify="space-between">
          <Text fw={600}>Step {index + 1}</Text>
          {onRemove && (
            <Button size="xs" variant="subtle" color="red" onClick={onRemove}>
              Remove step
            </Button>
          )}
        </Group>
        {step.missingLanguages.length > 0 && (
          <Text size="sm" c="yellow.8" data-testid="missing-languages">
            Missing questionnaires: {step.missingLanguages.map(languageName).join(', ')}
          </Text>
        )}
        <Group grow align="flex-start">
          <Select
            label="Kind"
            data={STEP_KINDS}
            value={step.kind}
            allowDeselect={false}
            onChange={(v) => v && onChange({ kind: v as StepKind })}
            error={messageFor(error, `${field}.kind`)}
          />
          {step.kind === 'REFERENCE_CHECK' && (
            <NumberInput
              label="Referees required"
              min={1}
              max={10}
              value={step.refereesRequired ?? ''}
              onChange={(v) => onChange({ refereesRequired: typeof v === 'number' ? v : null })}
              error={messageFor(error, `${field}.refereesRequired`)}
            />
          )}
          {step.kind === 'REFERENCE_CHECK' && (
            <MultiSelect
              label="Relationships"
              data={RELATIONSHIPS}
              value={step.relationshipKinds}
              onChange={(v) => onChange({ relationshipKinds: v as RelationshipKind[] })}
              error={messageFor(error, `${field}.relationshipKinds`)}
            />
          )}
        </Group>
        {messageFor(error, `${field}.questionnaires`) && (
          <Text size="sm" c="red">
            {messageFor(error, `${field}.questionnaires`)}
          </Text>
        )}
        {step.questionnaires.map((q, j) => {
          const qfield = `${field}.questionnaires[${j}]`;
          return (
            <Stack key={q.language} gap={4} pl="sm" style={{ borderLeft: '2px solid var(--mantine-color-gray-3)' }}>
              <Group justify="space-between">
                <Badge variant="light">{languageName(q.language)}</Badge>
                <Button
                  size="xs"
                  variant="subtle"
                  color="red"
                  onClick={() => onChange({ questionnaires: step.questionnaires.filter((_, k) => k !== j) })}
                >
                  Remove {languageName(q.language)}
                </Button>
              </Group>
              {messageFor(error, `${qfield}.language`) && (
                <Text size="sm" c="red">
                  {messageFor(error, `${qfield}.language`)}
                </Text>
              )}
              {q.questions.map((question, k) => {
                const f = `${qfield}.questions[${k}]`;
                const set = (change: Partial<QuestionDraft>) =>
                  setQuestions(j, q.questions.map((x, m) => (m === k ? { ...x, ...change } : x)));
                return (
                  <Group key={k} align="flex-start" wrap="nowrap">
                    <Select
                      aria-label={`Question ${k + 1} type`}
                      w={140}
                      data={QUESTION_TYPES}
                      value={question.type}
                      allowDeselect={false}
                      onChange={(v) => v && set({ type: v as QuestionType })}
                      error={messageFor(error, `${f}.type`)}
                    />
                    <TextInput
                      aria-label={`Question ${k + 1} prompt`}
                      placeholder="Question"
                      style={{ flex: 1 }}
                      value={question.prompt}
                      onChange={(e) => set({ prompt: e.currentTarget.value })}
                      error={messageFor(error, `${f}.prompt`) ?? messageFor(error, f)}
                    />
                    {question.type === 'CHOICE' && (
                      <TagsInput
                        aria-label={`Question ${k + 1} options`}
                        placeholder="Options (Enter after each)"
                        value={question.options}
                        onChange={(options) => set({ options })}
                        error={messageFor(error, `${f}.options`)}
                      />
                    )}
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      aria-label={`Remove question ${k + 1}`}
                      onClick={() => setQuestions(j, q.questions.filter((_, m) => m !== k))}
                    >
                      ×
                    </ActionIcon>
                  </Group>
                );
              })}
              {messageFor(error, `${qfield}.questions`) && (
                <Text size="sm" c="red">
                  {messageFor(error, `${qfield}.questions`)}
                </Text>
              )}
              <Group>
                <Button
                  size="xs"
                  variant="default"
                  onClick={() => setQuestions(j, [...q.questions, { prompt: '', type: 'TEXT', options: [] }])}
                >
                  Add question
                </Button>
              </Group>
            </Stack>
          );
        })}
        <Select
          aria-label="Add a language"
          placeholder="Add a language"
          w={220}
          data={LANGUAGES.filter((l) => !used.includes(l.value))}
          value={null}
          onChange={(v) =>
            v &&
            onChange({
              questionnaires: [...step.questionnaires, { language: v as Language, questions: [{ prompt: '', type: 'TEXT', options: [] }] }],
              missingLanguages: step.missingLanguages.filter((l) => l !== v),
            })
          }
        />
      </Stack>
    </Card>
  );
}
