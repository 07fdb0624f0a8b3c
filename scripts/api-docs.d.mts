// Types of scripts/api-docs.mjs, for the TypeScript checks that import it.

/** One package's documented entry points, read from its package.json `exports`. */
export interface ApiPackage {
  name: string;
  dir: string;
  tsconfig: string | undefined;
  entryPoints: { specifier: string; source: string }[];
}

/** The documented entry points of every package under packages/. */
export function apiEntryPoints(root?: string): ApiPackage[];

/**
 * Builds the API reference; resolves to the TypeDoc warnings and errors per package name, plus
 * "(merged)" for the cross-package link check (absent when a package failed to convert).
 */
export function buildApiDocs(options?: { out?: string; packages?: string[]; quiet?: boolean }): Promise<Map<string, string[]>>;
