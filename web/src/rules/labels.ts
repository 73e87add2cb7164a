import type { Language, StepKind } from '../gql/graphql';

export const LANGUAGES: { value: Language; label: string }[] = [
  { value: 'EN', label: 'English' },
  { value: 'SV', label: 'Swedish' },
  { value: 'FR', label: 'French' },
  { value: 'DE', label: 'German' },
  { value: 'ES', label: 'Spanish' },
];

export const languageName = (language: Language) => LANGUAGES.find((l) => l.value === language)?.label ?? language;

export const STEP_KINDS: { value: StepKind; label: string }[] = [
  { value: 'SELF_ASSESSMENT', label: 'Self-assessment' },
  { value: 'REFERENCE_CHECK', label: 'Reference check' },
];

export const stepKindName = (kind: StepKind) => STEP_KINDS.find((k) => k.value === kind)?.label ?? kind;
