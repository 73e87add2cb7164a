import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { tokenStore } from '../auth/tokenStore';
import { ME, fakeServer, gqlError } from '../test/fakeServer';
import { fakeJwt } from '../test/jwt';
import { leverConnection } from '../test/lever';
import { renderApp } from '../test/renderApp';

const EDITOR_DATA = {
  templates: [
    {
      __typename: 'Template',
      id: 't-1',
      name: 'Two steps',
      steps: [
        { __typename: 'TemplateStep', id: 's-1', position: 0, kind: 'SELF_ASSESSMENT' },
        { __typename: 'TemplateStep', id: 's-2', position: 1, kind: 'REFERENCE_CHECK' },
      ],
    },
  ],
  leverPostings: [{ __typename: 'LeverPosting', id: 'p-1', text: 'Robot Whisperer', state: 'published', gone: false }],
  leverStages: [
    { __typename: 'LeverStage', id: 'st-1', text: 'Phone screen', position: 0, gone: false },
    { __typename: 'LeverStage', id: 'st-2', text: 'Reference check', position: 1, gone: false },
  ],
  organization: { __typename: 'Organization', id: 'org-1', defaultLanguage: 'EN' },
};

describe('the rule editor', () => {
  it("shows the server's refusal under the step's stage it names", async () => {
    tokenStore.set(fakeJwt());
    const user = userEvent.setup();
    const server = fakeServer({
      Me: () => ({ data: ME }),
      LeverConnection: () => ({ data: { leverConnection: leverConnection() } }),
      Rules: () => ({ data: { rules: [] } }),
      RuleEditorData: () => ({ data: EDITOR_DATA }),
      CreateRule: () => gqlError('steps[1].stageId: pick the Lever stage that starts this step', 'BAD_USER_INPUT', { field: 'steps[1].stageId' }),
    });
    renderApp('/rules', server.fetch);
    await user.click(await screen.findByRole('button', { name: 'New rule' }));
    const editor = await screen.findByTestId('rule-editor');
    await user.type(within(editor).getByLabelText('Name'), 'Engineering');
    await user.click(within(editor).getAllByLabelText('Template')[0]);
    await user.click(await screen.findByRole('option', { name: 'Two steps' }));
    await user.click(within(editor).getByRole('button', { name: 'Save rule' }));

    await within(editor).findByRole('alert');
    const stage2 = within(editor).getAllByLabelText('Stage for step 2')[0];
    expect(stage2).toHaveAttribute('aria-invalid', 'true');
    expect(within(editor).getAllByLabelText('Stage for step 1')[0]).not.toHaveAttribute('aria-invalid', 'true');
    expect(within(editor).getAllByText('steps[1].stageId: pick the Lever stage that starts this step').length).toBeGreaterThan(0);
    const sent = server.requests.find((r) => r.body.operationName === 'CreateRule')?.body.variables as {
      input: { name: string; templateId: string; steps: unknown[] };
    };
    expect(sent.input.name).toBe('Engineering');
    expect(sent.input.templateId).toBe('t-1');
    expect(sent.input.steps).toEqual([
      { stepId: 's-1', stageId: null },
      { stepId: 's-2', stageId: null },
    ]);
  }, 20_000);
});
