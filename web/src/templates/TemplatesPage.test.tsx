import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { tokenStore } from '../auth/tokenStore';
import { ME, fakeServer, gqlError } from '../test/fakeServer';
import { fakeJwt } from '../test/jwt';
import { leverConnection } from '../test/lever';
import { renderApp } from '../test/renderApp';

const TEMPLATE = {
  __typename: 'Template',
  id: 't-1',
  name: 'Standard',
  tag: 'Vouch Template: Standard',
  archived: false,
  missingLanguages: ['SV'],
  usedByRules: [{ __typename: 'RuleRef', id: 'r-1', name: 'Engineering', enabled: true }],
  steps: [
    {
      __typename: 'TemplateStep',
      id: 's-1',
      position: 0,
      kind: 'REFERENCE_CHECK',
      refereesRequired: 2,
      relationshipKinds: ['MANAGER'],
      languages: ['EN'],
      missingLanguages: ['SV'],
      questionnaires: [
        { __typename: 'Questionnaire', language: 'EN', questions: [{ __typename: 'QuestionObject', prompt: 'How was it?', type: 'TEXT', options: [] }] },
      ],
    },
  ],
};

function server(extra: Record<string, () => unknown> = {}) {
  return fakeServer({
    Me: () => ({ data: ME }),
    LeverConnection: () => ({ data: { leverConnection: leverConnection() } }),
    Templates: () => ({ data: { templates: [TEMPLATE], organization: { __typename: 'Organization', id: 'org-1', defaultLanguage: 'EN' } } }),
    ...extra,
  });
}

describe('the templates page', () => {
  it("marks the field the server refused and shows missing languages per step", async () => {
    tokenStore.set(fakeJwt());
    const user = userEvent.setup();
    const fake = server({
      UpdateTemplate: () => gqlError('steps[0].refereesRequired: between 1 and 10', 'BAD_USER_INPUT', { field: 'steps[0].refereesRequired' }),
    });
    renderApp('/templates', fake.fetch);
    const row = await screen.findByTestId('template-row');
    expect(row).toHaveTextContent('Missing languages: Swedish');
    await user.click(within(row).getByRole('button', { name: 'Edit' }));
    const editor = await screen.findByTestId('template-editor');
    expect(within(editor).getByTestId('missing-languages')).toHaveTextContent('Missing questionnaires: Swedish');
    const referees = within(editor).getByLabelText('Referees required');
    await user.clear(referees);
    await user.type(referees, '11');
    await user.click(within(editor).getByRole('button', { name: 'Save template' }));
    expect(await within(editor).findByRole('alert')).toHaveTextContent('between 1 and 10');
    expect(within(editor).getByLabelText('Referees required')).toHaveAttribute('aria-invalid', 'true');
    expect(within(editor).getByRole('textbox', { name: 'Question 1 prompt' })).not.toHaveAttribute('aria-invalid', 'true');
  }, 20_000);

  it("shows the server's reason when a template in use cannot be deleted", async () => {
    tokenStore.set(fakeJwt());
    const user = userEvent.setup();
    const fake = server({
      DeleteTemplate: () => gqlError('the rule "Engineering" uses this template: archive it instead', 'CONFLICT', { field: 'id' }),
    });
    renderApp('/templates', fake.fetch);
    const row = await screen.findByTestId('template-row');
    await user.click(within(row).getByRole('button', { name: 'Delete' }));
    expect(await screen.findByTestId('template-action-error')).toHaveTextContent('archive it instead');
  }, 20_000);
});
