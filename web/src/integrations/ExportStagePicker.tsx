import { useMemo } from 'react';
import { useMutation, useQuery } from 'urql';
import { Select, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { errorField, errorMessage } from '../graphql/errors';
import { LeverExportStagesQuery, UpdateLeverExportStageMutation } from '../graphql/operations/leverHealth';
import type { LeverConnection } from './hooks';

const LABEL = 'Default export stage';
const DESCRIPTION = 'The Lever stage candidates that Vouch exports to Lever are created in.';

/**
 * The stage exported candidates start in: a pick from the stages Lever
 * still lists, saved at once. Read-only for those who may not change it.
 */
export function ExportStagePicker({ connection, editable }: { connection: LeverConnection; editable: boolean }) {
  // Registered under LeverStage even while empty, so a catalogue refresh refetches it.
  const context = useMemo(() => ({ additionalTypenames: ['LeverStage'] }), []);
  const [{ data, error: loadError }] = useQuery({ query: LeverExportStagesQuery, context });
  const [{ fetching: saving, error }, update] = useMutation(UpdateLeverExportStageMutation);
  const stages = data?.leverStages ?? [];
  const options = stages.filter((s) => !s.gone).map((s) => ({ value: s.id, label: s.text }));
  const current = connection.defaultExportStageId;
  if (current && !options.some((o) => o.value === current)) {
    const known = stages.find((s) => s.id === current);
    options.push({ value: current, label: `${known ? known.text : current} (no longer in Lever)` });
  }
  if (!editable) {
    return (
      <div>
        <Text size="sm" fw={500}>
          {LABEL}
        </Text>
        <Text size="sm" data-testid="export-stage">
          {options.find((o) => o.value === current)?.label ?? 'Not set'}
        </Text>
      </div>
    );
  }
  async function save(value: string | null) {
    const result = await update({ connectionId: connection.id, defaultExportStageId: value ?? '' });
    if (result.data) {
      notifications.show({ color: 'green', message: value ? 'Default export stage saved.' : 'Default export stage cleared.' });
    }
  }
  const problem = error ?? loadError;
  const field = errorField(error);
  return (
    <Select
      label={LABEL}
      description={DESCRIPTION}
      placeholder={options.length > 0 ? 'Pick a Lever stage' : 'No Lever stages yet: refresh from Lever'}
      data={options}
      value={current ?? null}
      onChange={save}
      searchable
      clearable
      disabled={saving}
      nothingFoundMessage="No Lever stage matches"
      error={problem && (!field || field === 'defaultExportStageId') ? errorMessage(problem) : undefined}
      maw={480}
    />
  );
}
