/**
 * Plain-text tables for terminal output: a header row, a rule, right-aligned numbers.
 * @module
 */

/** A column: its header and whether its cells are right-aligned (numbers). */
export interface TableColumn {
  header: string;
  align?: 'left' | 'right';
}

/** Renders rows under headers with two spaces between columns. */
export function formatTable(columns: TableColumn[], rows: string[][]): string {
  const widths = columns.map((column, index) =>
    Math.max(column.header.length, ...rows.map(row => (row[index] ?? '').length)),
  );
  const render = (cells: string[]) =>
    cells
      .map((cell, index) => {
        const width = widths[index] ?? 0;
        return columns[index]?.align === 'right' ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  const rule = widths.map(width => '-'.repeat(width)).join('  ');
  return [render(columns.map(column => column.header)), rule, ...rows.map(render)].join('\n');
}

/** `1234567` → `1,234,567`. */
export function formatInteger(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** USD with cents (4 decimals below one cent, so tiny costs do not show as $0.00). */
export function formatUSD(value: number): string {
  if (value !== 0 && Math.abs(value) < 0.01) return `$${value.toFixed(4)}`;
  return `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** Milliseconds as `850 ms` / `12.3 s`; `-` when unknown. */
export function formatDuration(milliseconds: number | null | undefined): string {
  if (milliseconds === null || milliseconds === undefined) return '-';
  if (milliseconds < 1000) return `${Math.round(milliseconds)} ms`;
  return `${(milliseconds / 1000).toFixed(1)} s`;
}

/** Seconds as `3d 4h`, `2h 5m`, `4m 10s`, `12s`. */
export function formatUptime(seconds: number): string {
  const total = Math.max(0, Math.floor(seconds));
  const days = Math.floor(total / 86400);
  const hours = Math.floor((total % 86400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const rest = total % 60;
  if (days > 0) return `${days}d ${hours}h`;
  if (hours > 0) return `${hours}h ${minutes}m`;
  if (minutes > 0) return `${minutes}m ${rest}s`;
  return `${rest}s`;
}
