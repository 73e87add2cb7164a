import { graphql } from '../../gql';

export const ServerTimeSubscription = graphql(`
  subscription ServerTime {
    serverTime
  }
`);
