/**
 * CSV that spreadsheets open safely: a cell that starts like a formula (= + - @, tab, carriage
 * return) is prefixed with an apostrophe so it is shown, never evaluated (OWASP "CSV injection").
 */
export type CsvValue = string | number | boolean | null | undefined | object;

export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  let s = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvLine = (cells: CsvValue[]): string => `${cells.map(csvCell).join(',')}\r\n`;
