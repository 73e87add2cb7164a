import type { Role } from '../gql/graphql';
import { ME } from './fakeServer';

/** `me` with another role. */
export function meWithRole(role: Role) {
  return { me: { ...ME.me, role } };
}

export const WEBHOOK_EVENT_NAMES = [
  'applicationCreated',
  'candidateStageChange',
  'candidateArchiveChange',
  'candidateHired',
  'candidateDeleted',
];

/** One event's webhook state (verified and registered by Vouch unless told). */
export function webhookStatus(event: string, overrides: Record<string, unknown> = {}) {
  return { __typename: 'LeverWebhookStatus', event, tokenConfigured: true, registeredByVouch: true, ...overrides };
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
    defaultExportStageId: null,
    webhooksManual: false,
    webhooks: WEBHOOK_EVENT_NAMES.map((event) => webhookStatus(event)),
    health: {
      __typename: 'LeverHealth',
      level: 'GREEN',
      reason: 'credentials, permissions and webhooks are in order',
      checkedAt: new Date(Date.now() - 2 * 60_000).toISOString(),
    },
    ...overrides,
  };
}

export const LEVER_USERS = [
  { __typename: 'LeverUser', leverId: 'lu-1', name: 'Rita Recruiter', email: 'rita@acme.example', deactivated: false, gone: false },
  { __typename: 'LeverUser', leverId: 'lu-2', name: 'Dora Departed', email: 'dora@acme.example', deactivated: true, gone: false },
  { __typename: 'LeverUser', leverId: 'lu-3', name: 'Gus Gone', email: null, deactivated: false, gone: true },
  { __typename: 'LeverUser', leverId: 'lu-4', name: 'Omar Owner', email: 'omar@acme.example', deactivated: false, gone: false },
];

/** A Lever stage as `leverStages` answers it. */
export function leverStage(id: string, text: string, overrides: Record<string, unknown> = {}) {
  return { __typename: 'LeverStage', id, text, position: 0, gone: false, ...overrides };
}

/** `LeverActivity` with nothing in it; override what a test needs. */
export function leverActivity(overrides: Record<string, unknown> = {}) {
  return {
    leverConnection: {
      __typename: 'LeverConnection',
      id: 'conn-1',
      webhookStats: { __typename: 'WebhookStats', lastReceivedAt: null, lastEvent: null, lastDay: [] },
    },
    jobs: [],
    webhookDeliveries: [],
    ...overrides,
  };
}
