/**
 * Renders environment changes as lines a shell can `eval`: POSIX sh/bash/zsh, fish, PowerShell.
 * @module
 */
import type { EnvironmentChanges } from './claude-environment.js';

/** Shells `conduit activate --shell` can print for. */
export const supportedShells = ['posix', 'fish', 'powershell'] as const;
export type ShellKind = (typeof supportedShells)[number];

function quotePosix(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

function quoteFish(value: string): string {
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

function quotePowerShell(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** One line per variable, `unset` lines last. Values are single-quoted, so nothing is expanded. */
export function formatShellExports(changes: EnvironmentChanges, shell: ShellKind): string {
  const lines: string[] = [];
  for (const [name, value] of Object.entries(changes.set)) {
    if (shell === 'fish') lines.push(`set -gx ${name} ${quoteFish(value)};`);
    else if (shell === 'powershell') lines.push(`$env:${name} = ${quotePowerShell(value)}`);
    else lines.push(`export ${name}=${quotePosix(value)}`);
  }
  for (const name of changes.unset) {
    if (shell === 'fish') lines.push(`set -e ${name};`);
    else if (shell === 'powershell')
      lines.push(`Remove-Item Env:${name} -ErrorAction SilentlyContinue`);
    else lines.push(`unset ${name}`);
  }
  return `${lines.join('\n')}\n`;
}
