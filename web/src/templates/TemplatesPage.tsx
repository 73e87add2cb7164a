import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { Alert, Badge, Button, Card, Group, Loader, Stack, Switch, Table, Text, Title } from '@mantine/core';
import type { TemplateFieldsFragment } from '../gql/graphql';
import { errorMessage } from '../graphql/errors';
import {
  ArchiveTemplateMutation,
  DeleteTemplateMutation,
  TemplatesQuery,
  UnarchiveTemplateMutation,
} from '../graphql/operations/templates';
import { languageName } from '../rules/labels';
import { TemplateEditor } from './TemplateEditor';

/** Stable, so the query is not re-run on every render; refetched after any Template change. */
const TEMPLATE_CONTEXT = { additionalTypenames: ['Template'] };

/**
 * Templates: the list (archived ones on request) with each one's Lever tag,
 * steps, missing languages and the rules that use it; create, edit,
 * archive, unarchive and delete, with the server's refusal shown as is
 * (e.g. a template in use cannot be deleted).
 */
export function TemplatesPage() {
  const [includeArchived, setIncludeArchived] = useState(false);
  const [{ data, error, fetching }] = useQuery({
    query: TemplatesQuery,
    variables: { includeArchived },
    context: TEMPLATE_CONTEXT,
  });
  const [archiveState, archive] = useMutation(ArchiveTemplateMutation);
  const [unarchiveState, unarchive] = useMutation(UnarchiveTemplateMutation);
  const [deleteState, deleteTemplate] = useMutation(DeleteTemplateMutation);
  const [editing, setEditing] = useState<TemplateFieldsFragment | 'new' | null>(null);
  const actionError = archiveState.error ?? unarchiveState.error ?? deleteState.error;
  const defaultLanguage = data?.organization.defaultLanguage ?? 'EN';

  return (
    <Stack gap="lg">
      <Group justify="space-between">
        <Title order={2}>Templates</Title>
        <Group>
          <Switch
            label="Show archived"
            checked={includeArchived}
            onChange={(e) => setIncludeArchived(e.currentTarget.checked)}
          />
          {editing === null && <Button onClick={() => setEditing('new')}>New template</Button>}
        </Group>
      </Group>
      <Text size="sm" c="dimmed">
        Each active template is offered in Lever as a “Vouch Template: name” tag: use “Sync template tags” on the
        Integrations page after adding, renaming or archiving one.
      </Text>
      {editing !== null && (
        <Card withBorder padding="lg" component="section">
          <Title order={3} mb="sm">
            {editing === 'new' ? 'New template' : `Edit “${editing.name}”`}
          </Title>
          <TemplateEditor
            key={editing === 'new' ? 'new' : editing.id}
            template={editing === 'new' ? undefined : editing}
            defaultLanguage={defaultLanguage}
            onDone={() => setEditing(null)}
          />
        </Card>
      )}
      {actionError && (
        <Alert color="red" role="alert" data-testid="template-action-error">
          {errorMessage(actionError)}
        </Alert>
      )}
      {error && !data && (
        <Alert color="red" role="alert">
          {errorMessage(error)}
        </Alert>
      )}
      {fetching && !data && <Loader size="sm" aria-label="Loading" />}
      {data && (
        <Table aria-label="Templates">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Steps</Table.Th>
              <Table.Th>Used by</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.templates.map((t) => (
              <Table.Tr key={t.id} data-testid="template-row">
                <Table.Td>
                  <Group gap="xs">
                    <Text fw={500}>{t.name}</Text>
                    {t.archived && <Badge color="gray">Archived</Badge>}
                  </Group>
                  <Text size="xs" c="dimmed">
                    {t.tag}
                  </Text>
                  {t.missingLanguages.length > 0 && (
                    <Text size="xs" c="yellow.8">
                      Missing languages: {t.missingLanguages.map(languageName).join(', ')}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{t.steps.length}</Table.Td>
                <Table.Td>{t.usedByRules.map((r) => r.name).join(', ') || '—'}</Table.Td>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    <Button size="xs" variant="default" onClick={() => setEditing(t)}>
                      Edit
                    </Button>
                    {t.archived ? (
                      <Button size="xs" variant="default" onClick={() => void unarchive({ id: t.id })}>
                        Unarchive
                      </Button>
                    ) : (
                      <Button size="xs" variant="default" onClick={() => void archive({ id: t.id })}>
                        Archive
                      </Button>
                    )}
                    <Button
                      size="xs"
                      variant="subtle"
                      color="red"
                      onClick={() => void deleteTemplate({ id: t.id }, { additionalTypenames: ['Template'] })}
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
    </Stack>
  );
}
