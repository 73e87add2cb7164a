import type { QuestionType } from '../gql/graphql';

export interface ReportQuestionLike {
  prompt: string;
  type: QuestionType;
  average?: number | null;
  answers: readonly { respondent: string; value?: string | null }[];
}

export interface ReportRow {
  prompt: string;
  type: QuestionType;
  /** One cell per respondent, in `respondents` order; null when they left it out. */
  cells: (string | null)[];
  /** Ratings only: "4.5 / 5". */
  average: string | null;
}

export interface ReportMatrix {
  /** "Candidate", or the referees who answered, in the order they were named. */
  respondents: string[];
  rows: ReportRow[];
}

/** An answer as the report shows it. */
export function formatAnswer(type: QuestionType, value: string | null | undefined): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (type === 'YES_NO') return value === 'yes' ? 'Yes' : value === 'no' ? 'No' : value;
  if (type === 'RATING_1_5') return `${value} / 5`;
  return value;
}

/** A rating average with at most one decimal, e.g. "4.5 / 5". */
export function formatAverage(average: number | null | undefined): string | null {
  if (average === null || average === undefined || Number.isNaN(average)) return null;
  const rounded = Math.round(average * 10) / 10;
  return `${Number.isInteger(rounded) ? rounded.toFixed(0) : rounded.toFixed(1)} / 5`;
}

/**
 * The report as a table: a row per question, a column per respondent
 * (answers side by side), and the average for ratings. The server lists
 * the same respondents in the same order for every question, so columns
 * go by position (two referees may share a name).
 */
export function reportMatrix(report: readonly ReportQuestionLike[]): ReportMatrix {
  const respondents = report[0]?.answers.map((a) => a.respondent) ?? [];
  const rows = report.map((q) => ({
    prompt: q.prompt,
    type: q.type,
    cells: respondents.map((_, i) => formatAnswer(q.type, q.answers[i]?.value)),
    average: q.type === 'RATING_1_5' ? formatAverage(q.average) : null,
  }));
  return { respondents, rows };
}
