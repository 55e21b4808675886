/** Fixed-point number, or `–` when missing. */
export function formatNumber(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return value.toFixed(digits);
}

/** A Markdown table from a header row and body rows (pipes in cells are escaped). */
export function renderTable(header: string[], rows: string[][], align?: Array<'l' | 'r'>): string {
  const escapeCell = (cell: string) => cell.replaceAll('|', '\\|').replaceAll('\n', ' ');
  const separator = header.map((_, index) => ((align?.[index] ?? 'r') === 'l' ? '---' : '---:'));
  return [header, separator, ...rows]
    .map(cells => `| ${cells.map(escapeCell).join(' | ')} |`)
    .join('\n');
}
