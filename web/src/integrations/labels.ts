import type { LeverAuthMode, LeverConnectionStatus, LeverDataCentre } from '../gql/graphql';

export const DATA_CENTRE_LABELS: Record<LeverDataCentre, string> = {
  US: 'US',
  EU: 'EU',
  SANDBOX: 'Sandbox',
};

export const AUTH_MODE_LABELS: Record<LeverAuthMode, string> = {
  OAUTH: 'OAuth',
  API_KEY: 'API key',
};

export const STATUS_BADGES: Record<LeverConnectionStatus, { label: string; color: string }> = {
  CONNECTED: { label: 'Connected', color: 'green' },
  NEEDS_ATTENTION: { label: 'Needs attention', color: 'yellow' },
  REVOKED: { label: 'Revoked', color: 'red' },
  DISCONNECTED: { label: 'Disconnected', color: 'gray' },
};

/** The webhooks Vouch listens to, as Lever's webhook settings name them. */
export const WEBHOOK_EVENTS: { event: string; label: string }[] = [
  { event: 'applicationCreated', label: 'Application created' },
  { event: 'candidateStageChange', label: 'Candidate stage change' },
  { event: 'candidateArchiveChange', label: 'Candidate archive state change' },
  { event: 'candidateHired', label: 'Candidate hired' },
  { event: 'candidateDeleted', label: 'Candidate deleted' },
];

export type HealthLevel = 'GREEN' | 'AMBER' | 'RED';

/** The server answers the level as a string; anything unknown reads as amber (look at it). */
export function healthLevel(level: string): HealthLevel {
  return level === 'GREEN' || level === 'RED' ? level : 'AMBER';
}

export const HEALTH_BADGES: Record<HealthLevel, { label: string; color: string }> = {
  GREEN: { label: 'Green', color: 'green' },
  AMBER: { label: 'Amber', color: 'orange' },
  RED: { label: 'Red', color: 'red' },
};

/** Plain words for an event name; unknown ones come back as they are. */
export const eventLabel = (event: string) => WEBHOOK_EVENTS.find((w) => w.event === event)?.label ?? event;
