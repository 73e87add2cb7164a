import { useState } from 'react';
import { useClient, useQuery } from 'urql';
import { Alert, Button, Card, Group, List, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import type { PreviewTriggerQuery as PreviewResult } from '../gql/graphql';
import { errorMessage } from '../graphql/errors';
import { PreviewTriggerQuery, RuleEditorDataQuery } from '../graphql/operations/rules';
import { stepKindName } from './labels';

/**
 * "What happens if…": asks the server what a candidate of this posting
 * entering this stage would start (a dry run: nothing is written).
 */
export function PreviewPanel() {
  const client = useClient();
  const [{ data }] = useQuery({ query: RuleEditorDataQuery });
  const [postingId, setPostingId] = useState<string | null>(null);
  const [stageId, setStageId] = useState<string | null>(null);
  const [opportunityId, setOpportunityId] = useState('');
  const [answer, setAnswer] = useState<PreviewResult['previewTrigger'] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);

  async function onPreview() {
    if (!postingId || !stageId) return;
    setRunning(true);
    setError(null);
    const result = await client
      .query(
        PreviewTriggerQuery,
        { postingId, stageId, opportunityId: opportunityId.trim() || null },
        { requestPolicy: 'network-only' },
      )
      .toPromise();
    setRunning(false);
    if (result.data) setAnswer(result.data.previewTrigger);
    else if (result.error) setError(errorMessage(result.error));
  }

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="preview-title">
      <Stack gap="sm">
        <Title order={3} id="preview-title">
          What happens if…
        </Title>
        <Group grow align="flex-end">
          <Select
            label="A candidate of posting"
            searchable
            data={(data?.leverPostings ?? []).filter((p) => !p.gone).map((p) => ({ value: p.id, label: p.text }))}
            value={postingId}
            onChange={setPostingId}
          />
          <Select
            label="enters stage"
            searchable
            data={(data?.leverStages ?? [])
              .filter((s) => !s.gone)
              .sort((a, b) => a.position - b.position)
              .map((s) => ({ value: s.id, label: s.text }))}
            value={stageId}
            onChange={setStageId}
          />
          <TextInput
            label="Opportunity id (optional)"
            value={opportunityId}
            onChange={(e) => setOpportunityId(e.currentTarget.value)}
          />
        </Group>
        <Group>
          <Button variant="default" onClick={onPreview} disabled={!postingId || !stageId} loading={running}>
            Show what would happen
          </Button>
        </Group>
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        {answer && (
          <Alert color={answer.willStart ? 'green' : 'gray'} title={answer.willStart ? 'A step would start' : 'Nothing would start'} data-testid="preview-answer">
            <Text size="sm">{answer.summary}</Text>
            {answer.willStart && answer.stepIndex != null && answer.stepKind && (
              <Text size="sm" data-testid="preview-step">
                Step {answer.stepIndex + 1} ({stepKindName(answer.stepKind)}) of {answer.templateName}
                {answer.rule ? `, by rule “${answer.rule.name}”` : ''}
                {answer.language ? `, in ${answer.language}` : ''}.
              </Text>
            )}
            {answer.reasons.length > 0 && (
              <List size="sm" mt="xs">
                {answer.reasons.map((r) => (
                  <List.Item key={r.code + r.message}>
                    {r.blocking ? 'Blocks: ' : ''}
                    {r.message}
                  </List.Item>
                ))}
              </List>
            )}
          </Alert>
        )}
      </Stack>
    </Card>
  );
}
