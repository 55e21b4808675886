export const repoRoot: string;
export const allowedDependencies: Record<string, string[]>;
export function readImports(source: string): string[];
export function findCycles(graph: Map<string, string[]>): string[][];
export function checkPackageGraph(): { problems: string[]; files: number; packages: string[] };
