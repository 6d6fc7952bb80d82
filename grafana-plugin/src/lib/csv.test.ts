import { buildCsv, csvCell, csvFileName } from './csv';

describe('csv', () => {
  test('quotes commas, quotes and newlines', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('x\ny')).toBe('"x\ny"');
  });
  test('defuses formulas in text, keeps negative numbers', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('@team')).toBe("'@team");
    expect(csvCell(-3.5)).toBe('-3.5');
  });
  test('empty cells for missing and non-finite values', () => {
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(Number.NaN)).toBe('');
  });
  test('rows joined with CRLF and a trailing line break', () => {
    expect(buildCsv(['a', 'b'], [[1, 'x'], [null, 'y,z']])).toBe('a,b\r\n1,x\r\n,"y,z"\r\n');
  });
  test('file names are slugged and dated', () => {
    expect(csvFileName(['gpufleet cost', 'Team/A'], Date.UTC(2024, 4, 1))).toBe('gpufleet-cost-team-a-2024-05-01.csv');
  });
});
