import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { Alert, Button, Fieldset, Group, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import type { PublicCheckFieldsFragment, RelationshipKind } from '../gql/graphql';
import { errorCode, errorMessage } from '../graphql/errors';
import { NominateRefereesMutation } from '../graphql/operations/respond';
import { DeclineButton } from './DeclineButton';
import type { Messages } from './i18n';
import { emptyReferees, localizeServerMessage, refereeErrors, refereeInputs, type RefereeDraft } from './referees';

interface NominationFormProps {
  check: PublicCheckFieldsFragment;
  token: string;
  t: Messages;
  onUpdated: (check: PublicCheckFieldsFragment) => void;
  onRefresh: () => void;
}

const ALL_KINDS: RelationshipKind[] = ['MANAGER', 'PEER', 'REPORT', 'OTHER'];

/**
 * The candidate names exactly the referees the step asks for. The page
 * checks what it can (names, address shapes, duplicates, phones); the
 * server checks again and refuses the candidate's own address, and its
 * refusal shows under the field it names (`referees[1].email`).
 */
export function NominationForm({ check, token, t, onUpdated, onRefresh }: NominationFormProps) {
  const count = Math.max(1, check.refereesRequired ?? 1);
  const kinds = check.relationshipKinds.length > 0 ? check.relationshipKinds : ALL_KINDS;
  const [list, setList] = useState<RefereeDraft[]>(() => emptyReferees(count, kinds));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [state, nominate] = useMutation(NominateRefereesMutation);

  function update(i: number, change: Partial<RefereeDraft>) {
    setList((l) => l.map((r, j) => (j === i ? { ...r, ...change } : r)));
    setErrors((e) => {
      const next = { ...e };
      for (const key of Object.keys(change)) delete next[`referees[${i}].${key}`];
      return next;
    });
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const local = refereeErrors(list, t);
    setErrors(local);
    if (Object.keys(local).length > 0) {
      setFormError(t.fixErrors);
      return;
    }
    setFormError(null);
    const result = await nominate({ token, referees: refereeInputs(list) });
    if (result.error) {
      const code = errorCode(result.error);
      const first = result.error.graphQLErrors[0];
      const field = typeof first?.extensions?.field === 'string' ? first.extensions.field : undefined;
      const message = code === 'EXPIRED' ? t.expiredLinkBody : localizeServerMessage(errorMessage(result.error), t);
      if (field?.startsWith('referees[')) {
        setErrors({ [field]: message });
        setFormError(t.fixErrors);
      } else {
        setFormError(first ? message : t.networkError);
      }
      if (code === 'CONFLICT') onRefresh();
      return;
    }
    if (result.data) onUpdated(result.data.nominateReferees);
  }

  const options = kinds.map((k) => ({ value: k, label: t.relationships[k] }));
  return (
    <form onSubmit={(e) => void onSubmit(e)} noValidate>
      <Stack gap="lg">
        {list.map((r, i) => {
          const at = (f: string) => errors[`referees[${i}].${f}`];
          return (
            <Fieldset key={i} legend={t.refereeHeading(i + 1)} data-testid={`referee-${i}`}>
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <TextInput
                  label={t.name}
                  required
                  value={r.name}
                  onChange={(e) => update(i, { name: e.currentTarget.value })}
                  error={at('name')}
                  autoComplete="off"
                />
                <TextInput
                  label={t.email}
                  type="email"
                  required
                  value={r.email}
                  onChange={(e) => update(i, { email: e.currentTarget.value })}
                  error={at('email')}
                  autoComplete="off"
                />
                <TextInput
                  label={`${t.phone} (${t.optional})`}
                  type="tel"
                  value={r.phone}
                  onChange={(e) => update(i, { phone: e.currentTarget.value })}
                  error={at('phone')}
                  autoComplete="off"
                />
                <Select
                  label={t.relationship}
                  required
                  data={options}
                  value={r.relationship}
                  onChange={(v) => update(i, { relationship: (v as RelationshipKind | null) ?? null })}
                  error={at('relationship')}
                  allowDeselect={false}
                />
              </SimpleGrid>
            </Fieldset>
          );
        })}
        {formError && (
          <Alert color="red" role="alert">
            {formError}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button type="submit" loading={state.fetching}>
            {t.nominate}
          </Button>
        </Group>
        <DeclineButton token={token} t={t} onUpdated={onUpdated} onRefresh={onRefresh} />
      </Stack>
    </form>
  );
}
