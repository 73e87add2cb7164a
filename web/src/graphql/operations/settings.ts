import { graphql } from '../../gql';

export const SettingsQuery = graphql(`
  query Settings {
    organization {
      id
      name
      createdAt
    }
    users {
      id
      email
      name
      role
      createdAt
    }
  }
`);
