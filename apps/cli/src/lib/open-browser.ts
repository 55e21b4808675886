import { spawn } from 'node:child_process';

/** The platform's "open this URL" command: `open` (macOS), `start` (Windows), else `xdg-open`. */
export function browserCommand(platform: NodeJS.Platform = process.platform): {
  command: string;
  args: string[];
} {
  if (platform === 'darwin') return { command: 'open', args: [] };
  // `start` is a cmd built-in; the empty string is the window title it would otherwise take from the URL.
  if (platform === 'win32') return { command: 'cmd', args: ['/c', 'start', '""'] };
  return { command: 'xdg-open', args: [] };
}

/**
 * Opens `url` in the default browser without waiting for it. Resolves false when no opener could
 * be started (no desktop, no xdg-open): the caller prints the URL either way.
 */
export function openBrowser(url: string): Promise<boolean> {
  const { command, args } = browserCommand();
  return new Promise(resolve => {
    try {
      const child = spawn(command, [...args, url], {
        detached: true,
        stdio: 'ignore',
        shell: false,
      });
      child.once('error', () => resolve(false));
      child.once('spawn', () => {
        child.unref();
        resolve(true);
      });
    } catch {
      resolve(false);
    }
  });
}
