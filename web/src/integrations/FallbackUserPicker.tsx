import { useMemo } from 'react';
import { useQuery, useMutation } from 'urql';
import { Select, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { errorField, errorMessage } from '../graphql/errors';
import { LeverUsersQuery, UpdateLeverConnectionMutation } from '../graphql/operations/lever';
import type { LeverConnection } from './hooks';

const LABEL = 'Perform as (fallback Lever user)';
const DESCRIPTION =
  'Notes and tags are written in Lever as the person who triggered them; when Lever does not let that person, Vouch writes as this user.';

/**
 * The fallback "perform as" user: a pick from the active Lever users of the
 * catalogue, saved at once. Read-only for those who may not change it.
 */
export function FallbackUserPicker({ connection, editable }: { connection: LeverConnection; editable: boolean }) {
  // Registered under LeverUser even while the list is empty, so a catalogue
  // refresh (which names that type) refetches it.
  const context = useMemo(() => ({ additionalTypenames: ['LeverUser'] }), []);
  const [{ data, error: loadError }] = useQuery({
    query: LeverUsersQuery,
    variables: { connectionId: connection.id },
    context,
  });
  const [{ fetching: saving, error }, update] = useMutation(UpdateLeverConnectionMutation);

  const users = data?.leverUsers ?? [];
  const name = (u: (typeof users)[number]) => (u.email ? `${u.name} (${u.email})` : u.name);
  const options = users.filter((u) => !u.deactivated && !u.gone).map((u) => ({ value: u.leverId, label: name(u) }));
  const current = connection.fallbackUserId;
  if (current && !options.some((o) => o.value === current)) {
    // Saved earlier but no longer active (or not read yet): say so rather than show nothing.
    const known = users.find((u) => u.leverId === current);
    options.push({ value: current, label: `${known ? name(known) : current} (no longer active)` });
  }

  if (!editable) {
    const label = options.find((o) => o.value === current)?.label;
    return (
      <div>
        <Text size="sm" fw={500}>
          {LABEL}
        </Text>
        <Text size="sm" data-testid="fallback-user">
          {label ?? 'Not set'}
        </Text>
      </div>
    );
  }

  async function save(value: string | null) {
    const result = await update({ connectionId: connection.id, fallbackUserId: value ?? '' });
    if (result.data) {
      notifications.show({ color: 'green', message: value ? 'Fallback Lever user saved.' : 'Fallback Lever user cleared.' });
    }
  }

  const problem = error ?? loadError;
  const field = errorField(error);
  return (
    <Select
      label={LABEL}
      description={DESCRIPTION}
      placeholder={options.length > 0 ? 'Pick a Lever user' : 'No Lever users yet: refresh from Lever'}
      data={options}
      value={current ?? null}
      onChange={save}
      searchable
      clearable
      disabled={saving}
      nothingFoundMessage="No active Lever user matches"
      error={problem && (!field || field === 'fallbackUserId') ? errorMessage(problem) : undefined}
      maw={480}
    />
  );
}
