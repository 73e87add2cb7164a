import { useMemo, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { Alert, Button, Checkbox, Group, Loader, MultiSelect, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import type { Language, RuleFieldsFragment, RuleInput } from '../gql/graphql';
import { errorMessage } from '../graphql/errors';
import { messageFor, saveError } from '../graphql/fieldErrors';
import { CreateRuleMutation, RuleEditorDataQuery, UpdateRuleMutation } from '../graphql/operations/rules';
import { LANGUAGES, stepKindName } from './labels';

/**
 * Creates or edits a rule: name, postings (some, or all), template,
 * language and the Lever stage that starts each of the template's steps.
 * What the server refuses is shown under the field it names
 * (`extensions.field`, e.g. `steps[1].stageId`).
 */
export function RuleEditor({ rule, onDone }: { rule?: RuleFieldsFragment; onDone: () => void }) {
  const [{ data, error: loadError }] = useQuery({ query: RuleEditorDataQuery, requestPolicy: 'cache-and-network' });
  const [create, createRule] = useMutation(CreateRuleMutation);
  const [update, updateRule] = useMutation(UpdateRuleMutation);
  const [name, setName] = useState(rule?.name ?? '');
  const [allPostings, setAllPostings] = useState(rule?.allPostings ?? false);
  const [postingIds, setPostingIds] = useState<string[]>(rule?.postingIds ?? []);
  const [templateId, setTemplateId] = useState<string | null>(rule?.template.id ?? null);
  const [language, setLanguage] = useState<Language | null>(rule?.language ?? null);
  const [stages, setStages] = useState<Record<string, string | null>>(
    Object.fromEntries((rule?.steps ?? []).map((s) => [s.step.id, s.stageId ?? null])),
  );
  const result = rule ? update : create;
  const error = saveError(result.error);

  const template = data?.templates.find((t) => t.id === templateId);
  const steps = useMemo(() => [...(template?.steps ?? [])].sort((a, b) => a.position - b.position), [template]);

  const postingOptions = useMemo(() => {
    const options = (data?.leverPostings ?? []).map((p) => ({
      value: p.id,
      label: p.gone ? `${p.text} (gone from Lever)` : p.text,
    }));
    for (const id of postingIds) {
      if (!options.some((o) => o.value === id)) options.push({ value: id, label: `${id} (gone from Lever)` });
    }
    return options;
  }, [data, postingIds]);

  function stageOptions(current: string | null) {
    const live = (data?.leverStages ?? []).filter((s) => !s.gone).sort((a, b) => a.position - b.position);
    const options = live.map((s) => ({ value: s.id, label: s.text }));
    if (current && !options.some((o) => o.value === current)) {
      const gone = data?.leverStages.find((s) => s.id === current);
      options.push({ value: current, label: `${gone?.text ?? current} (gone from Lever)` });
    }
    return options;
  }

  async function onSave() {
    const input: RuleInput = {
      name,
      allPostings,
      postingIds: allPostings ? [] : postingIds,
      templateId: templateId ?? '',
      language: language ?? data?.organization.defaultLanguage ?? 'EN',
      steps: steps.map((s) => ({ stepId: s.id, stageId: stages[s.id] ?? null })),
    };
    const answer = rule ? await updateRule({ id: rule.id, input }) : await createRule({ input });
    if (answer.data) onDone();
  }

  if (loadError && !data) {
    return (
      <Alert color="red" role="alert">
        {errorMessage(loadError)}
      </Alert>
    );
  }
  if (!data) return <Loader size="sm" aria-label="Loading" />;

  return (
    <Stack gap="sm" data-testid="rule-editor">
      <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} error={messageFor(error, 'name')} />
      <Checkbox
        label="All postings"
        checked={allPostings}
        onChange={(e) => setAllPostings(e.currentTarget.checked)}
        error={messageFor(error, 'allPostings')}
      />
      {!allPostings && (
        <MultiSelect
          label="Postings"
          placeholder="Search postings"
          searchable
          data={postingOptions}
          value={postingIds}
          onChange={setPostingIds}
          nothingFoundMessage="No posting matches (refresh the catalogue on the Integrations page)"
          error={messageFor(error, 'postingIds')}
        />
      )}
      <Group grow align="flex-start">
        <Select
          label="Template"
          data={data.templates.map((t) => ({ value: t.id, label: t.name }))}
          value={templateId}
          onChange={setTemplateId}
          error={messageFor(error, 'templateId')}
        />
        <Select
          label="Language"
          placeholder={`Default (${data.organization.defaultLanguage})`}
          data={LANGUAGES}
          value={language}
          onChange={(v) => setLanguage(v as Language | null)}
          error={messageFor(error, 'language')}
        />
      </Group>
      {steps.length > 0 && (
        <Table aria-label="Stage per step" withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Step</Table.Th>
              <Table.Th>Starts when the candidate enters</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {steps.map((step, i) => (
              <Table.Tr key={step.id}>
                <Table.Td>
                  {i + 1}. {stepKindName(step.kind)}
                </Table.Td>
                <Table.Td>
                  <Select
                    aria-label={`Stage for step ${i + 1}`}
                    placeholder="Pick a Lever stage"
                    searchable
                    data={stageOptions(stages[step.id] ?? null)}
                    value={stages[step.id] ?? null}
                    onChange={(v) => setStages((current) => ({ ...current, [step.id]: v }))}
                    error={messageFor(error, `steps[${i}].stageId`) ?? messageFor(error, `steps[${i}].stepId`)}
                  />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {error && (
        <Alert color="red" role="alert" title="The rule was not saved">
          {error.message}
        </Alert>
      )}
      {error?.field === 'steps' && <Text size="sm" c="red">{error.message}</Text>}
      <Group>
        <Button onClick={onSave} loading={result.fetching}>
          Save rule
        </Button>
        <Button variant="default" onClick={onDone}>
          Cancel
        </Button>
      </Group>
    </Stack>
  );
}
