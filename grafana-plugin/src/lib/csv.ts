/** CSV building (RFC 4180) for table downloads. */

export type CsvCell = string | number | null | undefined;

/**
 * Quotes a cell when needed and defuses spreadsheet formulas: a text cell starting with = + - @ or a
 * control character is prefixed with an apostrophe, since label values come from the fleet and are not trusted.
 * Numbers are written plainly (negative numbers are data, not formulas).
 */
export function csvCell(cell: CsvCell): string {
  if (cell === null || cell === undefined) {
    return '';
  }
  if (typeof cell === 'number') {
    return Number.isFinite(cell) ? String(cell) : '';
  }
  let text = cell;
  if (/^[=+\-@\t\r]/.test(text)) {
    text = `'${text}`;
  }
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function buildCsv(header: string[], rows: CsvCell[][]): string {
  const lines = [header.map(csvCell).join(',')];
  for (const row of rows) {
    lines.push(row.map(csvCell).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** A file name safe on every OS, e.g. `gpufleet-cost-team-2024-05-01.csv`. */
export function csvFileName(parts: string[], atMs: number): string {
  const date = new Date(atMs).toISOString().slice(0, 10);
  const slug = parts
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `${slug}-${date}.csv`;
}
