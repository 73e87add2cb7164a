import type { Role } from '../gql/graphql';
import { ME } from './fakeServer';

/** `me` with another role. */
export function meWithRole(role: Role) {
  return { me: { ...ME.me, role } };
}

/** A LeverConnection as the server answers it; override what a test needs. */
export function leverConnection(overrides: Record<string, unknown> = {}) {
  return {
    __typename: 'LeverConnection',
    id: 'conn-1',
    dataCentre: 'US',
    authMode: 'OAUTH',
    status: 'CONNECTED',
    statusReason: null,
    scopes: ['users:read:admin'],
    fallbackUserId: null,
    lastSuccessAt: new Date(Date.now() - 5 * 60_000).toISOString(),
    webhookUrl: 'https://vouch.example/webhooks/lever/conn-1',
    ...overrides,
  };
}

export const LEVER_USERS = [
  { __typename: 'LeverUser', leverId: 'lu-1', name: 'Rita Recruiter', email: 'rita@acme.example', deactivated: false, gone: false },
  { __typename: 'LeverUser', leverId: 'lu-2', name: 'Dora Departed', email: 'dora@acme.example', deactivated: true, gone: false },
  { __typename: 'LeverUser', leverId: 'lu-3', name: 'Gus Gone', email: null, deactivated: false, gone: true },
  { __typename: 'LeverUser', leverId: 'lu-4', name: 'Omar Owner', email: 'omar@acme.example', deactivated: false, gone: false },
];
