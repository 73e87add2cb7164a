import { lazy, type ComponentType } from 'react';

/**
 * Each page is its own chunk, fetched when first shown: a candidate opening
 * their e-mailed link downloads the public page, not the admin app.
 */
const loaders: (() => Promise<unknown>)[] = [];

function page<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) {
  loaders.push(load);
  return lazy(() => load().then((module) => ({ default: module[name] })));
}

/** Fetches every page's chunk now (the tests do, so no test waits for one). */
export function preloadPages(): Promise<unknown[]> {
  return Promise.all(loaders.map((load) => load()));
}

export const CandidatePage = page(() => import('../checks/CandidatePage'), 'CandidatePage');
export const CheckDetailPage = page(() => import('../checks/CheckDetailPage'), 'CheckDetailPage');
export const ChecksPage = page(() => import('../checks/ChecksPage'), 'ChecksPage');
export const IntegrationsPage = page(() => import('../integrations/IntegrationsPage'), 'IntegrationsPage');
export const InvitationPage = page(() => import('../invitation/InvitationPage'), 'InvitationPage');
export const OutboxPage = page(() => import('../outbox/OutboxPage'), 'OutboxPage');
export const SettingsPage = page(() => import('../pages/SettingsPage'), 'SettingsPage');
export const RespondPage = page(() => import('../respond/RespondPage'), 'RespondPage');
export const RulesPage = page(() => import('../rules/RulesPage'), 'RulesPage');
export const TemplatesPage = page(() => import('../templates/TemplatesPage'), 'TemplatesPage');
