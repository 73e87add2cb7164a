import { graphql } from '../../gql';

export const TemplateFields = graphql(`
  fragment TemplateFields on Template {
    id
    name
    tag
    archived
    missingLanguages
    usedByRules {
      id
      name
      enabled
    }
    steps {
      id
      position
      kind
      refereesRequired
      relationshipKinds
      languages
      missingLanguages
      questionnaires {
        language
        questions {
          prompt
          type
          options
        }
      }
    }
  }
`);

export const TemplatesQuery = graphql(`
  query Templates($includeArchived: Boolean!) {
    templates(includeArchived: $includeArchived) {
      ...TemplateFields
    }
    organization {
      id
      defaultLanguage
    }
  }
`);

export const CreateTemplateMutation = graphql(`
  mutation CreateTemplate($input: CreateTemplateInput!) {
    createTemplate(input: $input) {
      ...TemplateFields
    }
  }
`);

export const UpdateTemplateMutation = graphql(`
  mutation UpdateTemplate($id: UUID!, $input: UpdateTemplateInput!) {
    updateTemplate(id: $id, input: $input) {
      ...TemplateFields
    }
  }
`);

export const ArchiveTemplateMutation = graphql(`
  mutation ArchiveTemplate($id: UUID!) {
    archiveTemplate(id: $id) {
      ...TemplateFields
    }
  }
`);

export const UnarchiveTemplateMutation = graphql(`
  mutation UnarchiveTemplate($id: UUID!) {
    unarchiveTemplate(id: $id) {
      ...TemplateFields
    }
  }
`);

export const DeleteTemplateMutation = graphql(`
  mutation DeleteTemplate($id: UUID!) {
    deleteTemplate(id: $id)
  }
`);
