import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import { tokenStore } from '../auth/tokenStore';
import { ME, fakeServer } from '../test/fakeServer';
import { fakeJwt } from '../test/jwt';
import { renderApp } from '../test/renderApp';

describe('SettingsPage', () => {
  it("lists the organization's name and its users", async () => {
    tokenStore.set(fakeJwt());
    const server = fakeServer({
      Me: () => ({ data: ME }),
      Settings: () => ({
        data: {
          organization: { __typename: 'Organization', id: 'org-1', name: 'Acme Hiring', createdAt: '2025-01-01T00:00:00Z' },
          users: [
            { __typename: 'User', id: 'u1', email: 'admin@acme.test', name: 'Ada Admin', role: 'SUPER_ADMIN', createdAt: '2025-01-01T00:00:00Z' },
            { __typename: 'User', id: 'u2', email: 'tm@acme.test', name: 'Tom Member', role: 'LIMITED_TEAM_MEMBER', createdAt: '2025-01-02T00:00:00Z' },
          ],
        },
      }),
    });
    renderApp('/settings', server.fetch);

    const table = await screen.findByRole('table', { name: 'Users' });
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(rows[1]).toHaveTextContent('Ada Admin');
    expect(rows[1]).toHaveTextContent('Super admin');
    expect(rows[2]).toHaveTextContent('tm@acme.test');
    expect(rows[2]).toHaveTextContent('Limited team member');
    expect(screen.getByRole('main')).toHaveTextContent('Acme Hiring');
  });
});
