import type { CodegenConfig } from '@graphql-codegen/cli';

// Typed documents for every `graphql(...)` call in src/, generated from the
// server's SDL at the repository root. Output is gitignored; run `npm run codegen`.
const config: CodegenConfig = {
  schema: '../schema.graphql',
  documents: ['src/**/*.{ts,tsx}', '!src/gql/**/*'],
  ignoreNoDocuments: true,
  generates: {
    './src/gql/': {
      preset: 'client',
      presetConfig: {
        fragmentMasking: false,
      },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: {
          DateTime: 'string',
          UUID: 'string',
        },
      },
    },
  },
  hooks: {},
};

export default config;
