import { graphql } from '../../gql';

export const LeverConnectionFields = graphql(`
  fragment LeverConnectionFields on LeverConnection {
    id
    dataCentre
    authMode
    status
    statusReason
    scopes
    fallbackUserId
    lastSuccessAt
    webhookUrl
    defaultExportStageId
    webhooksManual
    webhooks {
      event
      tokenConfigured
      registeredByVouch
    }
    health {
      level
      reason
      checkedAt
    }
  }
`);

export const LeverConnectionQuery = graphql(`
  query LeverConnection {
    leverConnection {
      ...LeverConnectionFields
    }
  }
`);

export const LeverUsersQuery = graphql(`
  query LeverUsers($connectionId: UUID!) {
    leverUsers(connectionId: $connectionId) {
      leverId
      name
      email
      deactivated
      gone
    }
  }
`);

export const StartLeverOAuthMutation = graphql(`
  mutation StartLeverOAuth($dataCentre: LeverDataCentre!) {
    startLeverOAuth(dataCentre: $dataCentre)
  }
`);

export const ConnectLeverWithApiKeyMutation = graphql(`
  mutation ConnectLeverWithApiKey($dataCentre: LeverDataCentre!, $apiKey: String!) {
    connectLeverWithApiKey(dataCentre: $dataCentre, apiKey: $apiKey) {
      connection {
        ...LeverConnectionFields
      }
      missingPermissions
    }
  }
`);

export const UpdateLeverConnectionMutation = graphql(`
  mutation UpdateLeverConnection($connectionId: UUID!, $fallbackUserId: String) {
    updateLeverConnection(connectionId: $connectionId, fallbackUserId: $fallbackUserId) {
      ...LeverConnectionFields
    }
  }
`);

export const JobFields = graphql(`
  fragment JobFields on Job {
    id
    kind
    status
    lastError
    progressDone
    progressTotal
  }
`);

export const RefreshLeverCatalogueMutation = graphql(`
  mutation RefreshLeverCatalogue($connectionId: UUID!) {
    refreshLeverCatalogue(connectionId: $connectionId) {
      ...JobFields
    }
  }
`);

export const JobQuery = graphql(`
  query Job($id: UUID!) {
    job(id: $id) {
      ...JobFields
    }
  }
`);

export const DisconnectLeverMutation = graphql(`
  mutation DisconnectLever($connectionId: UUID!) {
    disconnectLever(connectionId: $connectionId) {
      id
      status
    }
  }
`);

export const TagSyncJobFields = graphql(`
  fragment TagSyncJobFields on Job {
    id
    status
    attempts
    lastError
    progressDone
    progressTotal
    tagSync {
      tags
      added
      removed
      affectedPostings {
        postingId
        name
        staleTags
      }
      leftoverTags {
        text
        count
      }
    }
  }
`);

export const SyncTemplateTagsMutation = graphql(`
  mutation SyncTemplateTags($connectionId: UUID!) {
    syncTemplateTags(connectionId: $connectionId) {
      ...TagSyncJobFields
    }
  }
`);

export const TagSyncJobQuery = graphql(`
  query TagSyncJob($id: UUID!) {
    job(id: $id) {
      ...TagSyncJobFields
    }
  }
`);
