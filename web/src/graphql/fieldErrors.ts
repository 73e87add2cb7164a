import type { CombinedError } from 'urql';
import { errorMessage } from './errors';

/**
 * A refused save as an editor shows it: the server names the input field it
 * refused in `extensions.field` (paths such as `name`, `steps[1].stageId`,
 * `steps[0].questionnaires[1].questions[2].prompt`), so the message goes
 * under that field; `message` is the whole text for a summary.
 */
export interface SaveError {
  field?: string;
  message: string;
}

export function saveError(error: CombinedError | undefined): SaveError | null {
  if (!error) return null;
  const withField = error.graphQLErrors.find((e) => typeof e.extensions?.field === 'string');
  if (withField) return { field: withField.extensions.field as string, message: withField.message };
  return { message: errorMessage(error) };
}

/** The message for `field` when the server refused exactly that field. */
export function messageFor(error: SaveError | null, field: string): string | undefined {
  return error?.field === field ? error.message : undefined;
}
