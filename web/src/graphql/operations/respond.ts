import { graphql } from '../../gql';

export const PublicCheckFields = graphql(`
  fragment PublicCheckFields on PublicCheck {
    checkId
    purpose
    status
    stepKind
    language
    companyName
    jobTitle
    candidateName
    questions {
      index
      prompt
      type
      options
    }
    answers {
      question
      value
    }
    submitted
    refereesRequired
    relationshipKinds
    referees {
      name
      relationship
      answered
    }
    expiresAt
  }
`);

export const PublicCheckQuery = graphql(`
  query PublicCheck($token: String!) {
    publicCheck(token: $token) {
      ...PublicCheckFields
    }
  }
`);

export const SaveAnswersMutation = graphql(`
  mutation SaveAnswers($token: String!, $answers: [AnswerInput!]!) {
    saveAnswers(token: $token, answers: $answers) {
      ...PublicCheckFields
    }
  }
`);

export const SubmitAnswersMutation = graphql(`
  mutation SubmitAnswers($token: String!, $answers: [AnswerInput!]!) {
    submitAnswers(token: $token, answers: $answers) {
      ...PublicCheckFields
    }
  }
`);

export const DeclineCheckMutation = graphql(`
  mutation DeclineCheck($token: String!) {
    declineCheck(token: $token) {
      ...PublicCheckFields
    }
  }
`);

export const NominateRefereesMutation = graphql(`
  mutation NominateReferees($token: String!, $referees: [RefereeInput!]!) {
    nominateReferees(token: $token, referees: $referees) {
      ...PublicCheckFields
    }
  }
`);
