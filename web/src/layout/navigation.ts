import { isAdmin } from '../auth/roles';
import type { Role } from '../gql/graphql';

/** The sections of the signed-in app, in navigation order. */
export interface Section {
  path: string;
  label: string;
  description: string;
  /**
   * Who sees the section in the navigation (everyone when absent). The
   * server enforces the same rule; this only spares people a link to a
   * page that would refuse them. `role` is undefined until `me` loads.
   */
  visibleTo?: (role: Role | undefined) => boolean;
}

export const SECTIONS: Section[] = [
  {
    path: '/integrations',
    label: 'Integrations',
    description: 'Connect Lever (OAuth or API key) and watch the connection’s health.',
  },
  {
    path: '/rules',
    label: 'Rules',
    description: 'Pick postings, a template and the Lever stage that triggers each step.',
  },
  {
    path: '/templates',
    label: 'Templates',
    description: 'Manage check templates and sync their tags to Lever.',
  },
  {
    path: '/checks',
    label: 'Checks',
    description: 'Follow every reference check and self-assessment live.',
  },
  {
    path: '/outbox',
    label: 'E-mail',
    description: 'Every e-mail Vouch wrote, its delivery status and its links.',
    visibleTo: isAdmin,
  },
  {
    path: '/settings',
    label: 'Settings',
    description: 'Your organization and its users.',
  },
];
