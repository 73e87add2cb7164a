import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { ActionIcon, Alert, Badge, Button, Card, Group, Loader, Stack, Switch, Table, Text, Title } from '@mantine/core';
import type { RuleFieldsFragment } from '../gql/graphql';
import { errorMessage } from '../graphql/errors';
import { DeleteRuleMutation, ReorderRulesMutation, RulesQuery, SetRuleEnabledMutation } from '../graphql/operations/rules';
import { PreviewPanel } from './PreviewPanel';
import { RuleEditor } from './RuleEditor';

/** Stable, so the query is not re-run on every render; refetched after any Rule change. */
const RULE_CONTEXT = { additionalTypenames: ['Rule'] };

/**
 * Rules, in the order they are tried: the first enabled rule matching a
 * posting wins. Each can be switched off, moved, edited or deleted; the
 * editor opens above the list; "What happens if…" sits below.
 */
export function RulesPage() {
  const [{ data, error, fetching }] = useQuery({ query: RulesQuery, context: RULE_CONTEXT });
  const [enabledState, setEnabled] = useMutation(SetRuleEnabledMutation);
  const [reorderState, reorder] = useMutation(ReorderRulesMutation);
  const [deleteState, deleteRule] = useMutation(DeleteRuleMutation);
  const [editing, setEditing] = useState<RuleFieldsFragment | 'new' | null>(null);
  const rules = [...(data?.rules ?? [])].sort((a, b) => a.position - b.position);
  const actionError = enabledState.error ?? reorderState.error ?? deleteState.error;

  function move(index: number, by: -1 | 1) {
    const ids = rules.map((r) => r.id);
    const [id] = ids.splice(index, 1);
    ids.splice(index + by, 0, id);
    void reorder({ ids });
  }

  return (
    <Stack gap="lg">
      <Group justify="space-between">
        <Title order={2}>Rules</Title>
        {editing === null && <Button onClick={() => setEditing('new')}>New rule</Button>}
      </Group>
      {editing !== null && (
        <Card withBorder padding="lg" component="section" aria-label={editing === 'new' ? 'New rule' : 'Edit rule'}>
          <Title order={3} mb="sm">
            {editing === 'new' ? 'New rule' : `Edit “${editing.name}”`}
          </Title>
          <RuleEditor
            key={editing === 'new' ? 'new' : editing.id}
            rule={editing === 'new' ? undefined : editing}
            onDone={() => setEditing(null)}
          />
        </Card>
      )}
      {actionError && (
        <Alert color="red" role="alert">
          {errorMessage(actionError)}
        </Alert>
      )}
      {error && !data && (
        <Alert color="red" role="alert">
          {errorMessage(error)}
        </Alert>
      )}
      {fetching && !data && <Loader size="sm" aria-label="Loading" />}
      {data && rules.length === 0 && <Text c="dimmed">No rules yet: a rule starts a template’s steps on Lever stages.</Text>}
      {rules.length > 0 && (
        <Table aria-label="Rules" data-testid="rules-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Order</Table.Th>
              <Table.Th>Name</Table.Th>
              <Table.Th>Postings</Table.Th>
              <Table.Th>Template</Table.Th>
              <Table.Th>Enabled</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rules.map((rule, i) => (
              <Table.Tr key={rule.id} data-testid="rule-row">
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    <ActionIcon variant="subtle" aria-label={`Move ${rule.name} up`} disabled={i === 0} onClick={() => move(i, -1)}>
                      ↑
                    </ActionIcon>
                    <ActionIcon
                      variant="subtle"
                      aria-label={`Move ${rule.name} down`}
                      disabled={i === rules.length - 1}
                      onClick={() => move(i, 1)}
                    >
                      ↓
                    </ActionIcon>
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Text fw={500}>{rule.name}</Text>
                  {rule.warnings.map((w) => (
                    <Text key={w.code + (w.field ?? '')} size="xs" c="yellow.8" data-testid="rule-warning">
                      ⚠ {w.message}
                    </Text>
                  ))}
                </Table.Td>
                <Table.Td>
                  {rule.allPostings ? (
                    <Badge variant="light">All postings</Badge>
                  ) : (
                    rule.postings.map((p) => p.text + (p.gone ? ' (gone)' : '')).join(', ')
                  )}
                </Table.Td>
                <Table.Td>{rule.template.name}</Table.Td>
                <Table.Td>
                  <Switch
                    aria-label={`${rule.name} enabled`}
                    checked={rule.enabled}
                    onChange={(e) => void setEnabled({ id: rule.id, enabled: e.currentTarget.checked })}
                  />
                </Table.Td>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    <Button size="xs" variant="default" onClick={() => setEditing(rule)}>
                      Edit
                    </Button>
                    <Button
                      size="xs"
                      variant="subtle"
                      color="red"
                      onClick={() => void deleteRule({ id: rule.id }, { additionalTypenames: ['Rule'] })}
                    >
                      Delete
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <PreviewPanel />
    </Stack>
  );
}
