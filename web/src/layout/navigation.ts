/** The sections of the signed-in app, in navigation order. */
export interface Section {
  path: string;
  label: string;
  description: string;
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
    path: '/settings',
    label: 'Settings',
    description: 'Your organization and its users.',
  },
];
