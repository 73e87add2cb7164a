import { graphql } from '../../gql';

export const LoginMutation = graphql(`
  mutation Login($email: String!, $password: String!) {
    login(email: $email, password: $password) {
      token
      expiresAt
      user {
        id
        email
      }
    }
  }
`);

export const MeQuery = graphql(`
  query Me {
    me {
      id
      email
      name
      role
      organization {
        id
        name
      }
    }
  }
`);
