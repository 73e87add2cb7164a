import { graphql } from '../../gql';

export const CheckListFields = graphql(`
  fragment CheckListFields on Check {
    id
    status
    statusReason
    stepKind
    language
    candidateId
    candidateName
    projectId
    writtenToLever
    createdAt
    updatedAt
    expiresAt
  }
`);

export const ChecksQuery = graphql(`
  query Checks($filter: CheckFilterInput, $first: Int!) {
    checks(filter: $filter, first: $first) {
      ...CheckListFields
    }
  }
`);

export const ProjectsQuery = graphql(`
  query Projects {
    projects {
      id
      name
    }
  }
`);

export const CheckDetailQuery = graphql(`
  query CheckDetail($id: UUID!) {
    check(id: $id) {
      ...CheckListFields
      leverOpportunityId
      referees {
        id
        name
        email
        phone
        relationship
        submittedAt
      }
      timeline {
        kind
        status
        detail
        actor
        at
      }
      report {
        prompt
        type
        average
        answers {
          respondent
          value
        }
      }
    }
    projects {
      id
      name
    }
  }
`);

export const CancelCheckMutation = graphql(`
  mutation CancelCheck($id: UUID!, $reason: String!) {
    cancelCheck(id: $id, reason: $reason) {
      ...CheckListFields
    }
  }
`);

export const CandidateQuery = graphql(`
  query Candidate($id: UUID!) {
    candidate(id: $id) {
      id
      name
      emails
      phones {
        type
        value
      }
      projectId
      projectName
      leverOpportunityId
      purgedAt
      createdAt
      checks {
        ...CheckListFields
      }
    }
  }
`);
