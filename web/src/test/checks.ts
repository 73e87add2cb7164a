/** Server answers for the checks, candidate and public pages' tests. */

export function checkRow(overrides: Record<string, unknown> = {}) {
  return {
    __typename: 'Check',
    id: 'check-1',
    status: 'SENT',
    statusReason: null,
    stepKind: 'SELF_ASSESSMENT',
    language: 'EN',
    candidateId: 'cand-1',
    candidateName: 'Sam Candidate',
    projectId: 'proj-1',
    writtenToLever: true,
    createdAt: '2026-03-01T10:00:00Z',
    updatedAt: '2026-03-01T10:00:00Z',
    expiresAt: '2026-03-15T10:00:00Z',
    ...overrides,
  };
}

export const PROJECTS = [
  { __typename: 'Project', id: 'proj-1', name: 'Robot Whisperer' },
  { __typename: 'Project', id: 'proj-2', name: 'Gearbox Tuner' },
];

export function checkDetail(overrides: Record<string, unknown> = {}) {
  return {
    ...checkRow({ stepKind: 'REFERENCE_CHECK', status: 'COMPLETED' }),
    leverOpportunityId: 'opp-1',
    referees: [
      {
        __typename: 'RefereeObject',
        id: 'ref-1',
        name: 'Rita Ref',
        email: 'rita@refs.test',
        phone: '+46 70 123 45 67',
        relationship: 'MANAGER',
        submittedAt: '2026-03-03T09:00:00Z',
      },
      {
        __typename: 'RefereeObject',
        id: 'ref-2',
        name: 'Pete Peer',
        email: 'pete@refs.test',
        phone: null,
        relationship: 'PEER',
        submittedAt: '2026-03-04T09:00:00Z',
      },
    ],
    // Deliberately out of order: the page shows the oldest first.
    timeline: [
      {
        __typename: 'CheckEventObject',
        kind: 'status.changed',
        status: 'COMPLETED',
        detail: 'every referee answered',
        actor: 'referee:ref-2',
        at: '2026-03-04T09:00:00Z',
      },
      {
        __typename: 'CheckEventObject',
        kind: 'check.created',
        status: 'SENT',
        detail: 'started by the stage change',
        actor: 'lever:u-1',
        at: '2026-03-01T10:00:00Z',
      },
    ],
    report: [
      {
        __typename: 'ReportQuestion',
        prompt: 'How would you rate the quality of their work?',
        type: 'RATING_1_5',
        average: 4.5,
        answers: [
          { __typename: 'ReportAnswer', respondent: 'Rita Ref', value: '5' },
          { __typename: 'ReportAnswer', respondent: 'Pete Peer', value: '4' },
        ],
      },
      {
        __typename: 'ReportQuestion',
        prompt: 'Would you work with them again?',
        type: 'YES_NO',
        average: null,
        answers: [
          { __typename: 'ReportAnswer', respondent: 'Rita Ref', value: 'yes' },
          { __typename: 'ReportAnswer', respondent: 'Pete Peer', value: 'no' },
        ],
      },
    ],
    ...overrides,
  };
}

export const QUESTIONS = [
  { __typename: 'PublicQuestion', index: 0, prompt: 'What are you proudest of?', type: 'TEXT', options: [] },
  { __typename: 'PublicQuestion', index: 1, prompt: 'Rate your core skills', type: 'RATING_1_5', options: [] },
  { __typename: 'PublicQuestion', index: 2, prompt: 'May we call your references?', type: 'YES_NO', options: [] },
  { __typename: 'PublicQuestion', index: 3, prompt: 'Preferred start', type: 'CHOICE', options: ['Now', 'Later'] },
];

export function publicCheck(overrides: Record<string, unknown> = {}) {
  return {
    __typename: 'PublicCheck',
    checkId: 'check-1',
    purpose: 'CANDIDATE_SELF_ASSESSMENT',
    status: 'SENT',
    stepKind: 'SELF_ASSESSMENT',
    language: 'EN',
    companyName: 'Acme Robotics',
    jobTitle: 'Robot Whisperer',
    candidateName: 'Sam Candidate',
    questions: QUESTIONS,
    answers: [],
    submitted: false,
    refereesRequired: null,
    relationshipKinds: [],
    referees: [],
    expiresAt: '2026-03-15T10:00:00Z',
    ...overrides,
  };
}

export function nominationCheck(overrides: Record<string, unknown> = {}) {
  return publicCheck({
    purpose: 'CANDIDATE_NOMINATION',
    stepKind: 'REFERENCE_CHECK',
    questions: [],
    refereesRequired: 2,
    relationshipKinds: ['MANAGER', 'PEER'],
    ...overrides,
  });
}
