import { graphql } from '../../gql';

/** The organization's e-mails, newest first (admins only). */
export const OutboxQuery = graphql(`
  query Outbox($first: Int!) {
    outbox(first: $first) {
      id
      to
      subject
      body
      kind
      checkId
      status
      attempts
      lastError
      jobId
      createdAt
      sentAt
    }
  }
`);
