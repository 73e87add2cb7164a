import { graphql } from '../../gql';

// Health, webhook set-up, export stage and activity of the Lever connection
// (the Integrations page's Lever tile). The connection's own fields live in
// `LeverConnectionFields` (lever.ts), shared with the shell's banner.

export const CheckLeverConnectionMutation = graphql(`
  mutation CheckLeverConnection($connectionId: UUID!) {
    checkLeverConnection(connectionId: $connectionId) {
      ...LeverConnectionFields
    }
  }
`);

export const RepairLeverConnectionMutation = graphql(`
  mutation RepairLeverConnection($connectionId: UUID!) {
    repairLeverConnection(connectionId: $connectionId) {
      ...JobFields
    }
  }
`);

export const SetLeverWebhookTokenMutation = graphql(`
  mutation SetLeverWebhookToken($connectionId: UUID!, $event: String, $token: String!) {
    setLeverWebhookToken(connectionId: $connectionId, event: $event, token: $token) {
      ...LeverConnectionFields
    }
  }
`);

export const SendLeverTestWebhookMutation = graphql(`
  mutation SendLeverTestWebhook($connectionId: UUID!) {
    sendLeverTestWebhook(connectionId: $connectionId) {
      ok
      message
    }
  }
`);

export const LeverExportStagesQuery = graphql(`
  query LeverExportStages {
    leverStages {
      id
      text
      position
      gone
    }
  }
`);

/** Only the export stage: leaving `fallbackUserId` out keeps it. */
export const UpdateLeverExportStageMutation = graphql(`
  mutation UpdateLeverExportStage($connectionId: UUID!, $defaultExportStageId: String!) {
    updateLeverConnection(connectionId: $connectionId, defaultExportStageId: $defaultExportStageId) {
      ...LeverConnectionFields
    }
  }
`);

export const ActivityJobFields = graphql(`
  fragment ActivityJobFields on Job {
    id
    kind
    status
    attempts
    lastError
    updatedAt
    finishedAt
  }
`);

export const LeverActivityQuery = graphql(`
  query LeverActivity($connectionId: UUID!) {
    leverConnection {
      id
      webhookStats {
        lastReceivedAt
        lastEvent
        lastDay {
          event
          count
        }
      }
    }
    jobs(status: FAILED, connectionId: $connectionId, first: 20) {
      ...ActivityJobFields
    }
    webhookDeliveries(connectionId: $connectionId, first: 20) {
      id
      event
      opportunityId
      receivedAt
      result
      detail
    }
  }
`);

export const RetryJobMutation = graphql(`
  mutation RetryJob($id: UUID!) {
    retryJob(id: $id) {
      ...ActivityJobFields
    }
  }
`);

export const ReplayWebhookMutation = graphql(`
  mutation ReplayWebhook($id: UUID!) {
    replayWebhook(id: $id) {
      id
      status
    }
  }
`);
