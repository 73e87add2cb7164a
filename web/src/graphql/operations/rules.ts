import { graphql } from '../../gql';

export const RuleFields = graphql(`
  fragment RuleFields on Rule {
    id
    name
    enabled
    position
    allPostings
    postingIds
    language
    template {
      id
      name
    }
    postings {
      id
      text
      gone
    }
    steps {
      step {
        id
        kind
        position
      }
      stageId
      stage {
        id
        text
        gone
      }
    }
    warnings {
      code
      message
      field
    }
  }
`);

export const RulesQuery = graphql(`
  query Rules {
    rules {
      ...RuleFields
    }
  }
`);

export const RuleEditorDataQuery = graphql(`
  query RuleEditorData {
    templates(includeArchived: false) {
      id
      name
      steps {
        id
        position
        kind
      }
    }
    leverPostings {
      id
      text
      state
      gone
    }
    leverStages {
      id
      text
      position
      gone
    }
    organization {
      id
      defaultLanguage
    }
  }
`);

export const CreateRuleMutation = graphql(`
  mutation CreateRule($input: RuleInput!) {
    createRule(input: $input) {
      ...RuleFields
    }
  }
`);

export const UpdateRuleMutation = graphql(`
  mutation UpdateRule($id: UUID!, $input: RuleInput!) {
    updateRule(id: $id, input: $input) {
      ...RuleFields
    }
  }
`);

export const SetRuleEnabledMutation = graphql(`
  mutation SetRuleEnabled($id: UUID!, $enabled: Boolean!) {
    setRuleEnabled(id: $id, enabled: $enabled) {
      ...RuleFields
    }
  }
`);

export const ReorderRulesMutation = graphql(`
  mutation ReorderRules($ids: [UUID!]!) {
    reorderRules(ids: $ids) {
      ...RuleFields
    }
  }
`);

export const DeleteRuleMutation = graphql(`
  mutation DeleteRule($id: UUID!) {
    deleteRule(id: $id)
  }
`);

export const PreviewTriggerQuery = graphql(`
  query PreviewTrigger($postingId: String!, $stageId: String!, $opportunityId: String) {
    previewTrigger(postingId: $postingId, stageId: $stageId, opportunityId: $opportunityId) {
      willStart
      summary
      rule {
        id
        name
      }
      templateName
      stepIndex
      stepKind
      language
      reasons {
        code
        blocking
        message
      }
    }
  }
`);
