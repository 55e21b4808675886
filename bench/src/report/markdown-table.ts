/** Fixed-point number, or `–` when missing. */
export function formatNumber(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return value.toFixed(digits);
}

/** A median with the range across rounds, e.g. `1.75 (1.60–1.90)`; the bare median for one round. */
export function formatWithSpread(
  median: number | null | undefined,
  spread: { min: number; max: number; rounds: number } | undefined,
  digits = 2,
  suffix = '',
): string {
  const value = formatNumber(median, digits);
  if (value === '–') return value;
  if (!spread || spread.rounds < 2) return `${value}${suffix}`;
  return `${value}${suffix} (${formatNumber(spread.min, digits)}–${formatNumber(spread.max, digits)})`;
}

/** A Markdown table from a header row and body rows (pipes in cells are escaped). */
export function renderTable(header: string[], rows: string[][], align?: Array<'l' | 'r'>): string {
  const escapeCell = (cell: string) => cell.replaceAll('|', '\\|').replaceAll('\n', ' ');
  const separator = header.map((_, index) => ((align?.[index] ?? 'r') === 'l' ? '---' : '---:'));
  return [header, separator, ...rows]
    .map(cells => `| ${cells.map(escapeCell).join(' | ')} |`)
    .join('\n');
}
