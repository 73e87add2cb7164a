import { describe, expect, it } from 'vitest';
import { formatAnswer, formatAverage, reportMatrix } from './report';

describe('the report table', () => {
  it('puts each respondent in a column and averages ratings', () => {
    const matrix = reportMatrix([
      {
        prompt: 'Quality',
        type: 'RATING_1_5',
        average: 4.333333,
        answers: [
          { respondent: 'Rita', value: '5' },
          { respondent: 'Pete', value: '4' },
          { respondent: 'Pete', value: '4' },
        ],
      },
      {
        prompt: 'Again?',
        type: 'YES_NO',
        average: null,
        answers: [
          { respondent: 'Rita', value: 'yes' },
          { respondent: 'Pete', value: null },
          { respondent: 'Pete', value: 'no' },
        ],
      },
    ]);
    expect(matrix.respondents).toEqual(['Rita', 'Pete', 'Pete']);
    expect(matrix.rows).toEqual([
      { prompt: 'Quality', type: 'RATING_1_5', cells: ['5 / 5', '4 / 5', '4 / 5'], average: '4.3 / 5' },
      { prompt: 'Again?', type: 'YES_NO', cells: ['Yes', null, 'No'], average: null },
    ]);
  });

  it('is empty before anyone submitted', () => {
    expect(reportMatrix([{ prompt: 'Q', type: 'TEXT', answers: [] }])).toEqual({
      respondents: [],
      rows: [{ prompt: 'Q', type: 'TEXT', cells: [], average: null }],
    });
  });

  it('formats answers and averages', () => {
    expect(formatAnswer('TEXT', 'Solid work')).toBe('Solid work');
    expect(formatAnswer('CHOICE', '')).toBeNull();
    expect(formatAverage(4)).toBe('4 / 5');
    expect(formatAverage(4.25)).toBe('4.3 / 5');
    expect(formatAverage(null)).toBeNull();
  });
});
