/** One target (issues 10, 16 and 20), checked against a measured number. */
export interface TargetCheck {
  target: string;
  /** How `measured` must compare with `threshold`. */
  comparison: '<' | '<=' | '>=';
  threshold: number;
  unit: string;
  measured: number | null;
  met: boolean | null;
  /** Where the number comes from. */
  source: string;
  /** When measured in several rounds: the lowest and highest round. */
  spread?: { min: number; max: number; rounds: number };
}

/** Builds a check; `met` is null when the number could not be measured. */
export function checkTarget(options: Omit<TargetCheck, 'met'>): TargetCheck {
  const { measured, threshold, comparison } = options;
  const met =
    measured === null || !Number.isFinite(measured)
      ? null
      : comparison === '<'
        ? measured < threshold
        : comparison === '<='
          ? measured <= threshold
          : measured >= threshold;
  return {
    ...options,
    measured: measured !== null && Number.isFinite(measured) ? measured : null,
    met,
  };
}

/** claude-code-router's throughput on the Claude Code request as the issue quotes it (req/s). */
export const quotedCCRClaudeCodeThroughput = 25;
