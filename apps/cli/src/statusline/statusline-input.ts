/**
 * What Claude Code pipes into a `statusLine` command (the fields the status line uses; the rest
 * is ignored). Everything is optional: a malformed or empty input still gets a line.
 */
export interface ClaudeStatusInput {
  session_id?: string;
  cwd?: string;
  model?: { id?: string; display_name?: string };
  workspace?: { current_dir?: string; project_dir?: string };
  cost?: {
    total_cost_usd?: number;
    total_duration_ms?: number;
    total_lines_added?: number;
    total_lines_removed?: number;
  };
}

/**
 * Reads stdin to its end, giving up after `timeoutMs` (a terminal or a writer that never closes
 * must not block Claude Code) and returns the parsed object, or `{}`.
 */
export function readStatusInput(
  stdin: NodeJS.ReadStream = process.stdin,
  timeoutMs = 200,
): Promise<ClaudeStatusInput> {
  if (stdin.isTTY) return Promise.resolve({});
  return new Promise(resolve => {
    const chunks: Buffer[] = [];
    const finish = () => {
      clearTimeout(timer);
      stdin.off('data', onData);
      stdin.off('end', finish);
      stdin.off('error', finish);
      stdin.pause();
      resolve(parseStatusInput(Buffer.concat(chunks).toString('utf8')));
    };
    const onData = (chunk: Buffer) => chunks.push(chunk);
    const timer = setTimeout(finish, timeoutMs);
    stdin.on('data', onData);
    stdin.once('end', finish);
    stdin.once('error', finish);
  });
}

export function parseStatusInput(text: string): ClaudeStatusInput {
  try {
    const value = JSON.parse(text) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as ClaudeStatusInput)
      : {};
  } catch {
    return {};
  }
}
