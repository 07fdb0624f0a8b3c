// Types of scripts/public-packages.mjs, for the TypeScript checks that import it.

/** The parts of a package.json the release and its checks read. */
export interface PackageManifest {
  name: string;
  version: string;
  private?: boolean;
  license?: string;
  repository?: { type?: string; url?: string; directory?: string };
  engines?: { node?: string };
  publishConfig?: { access?: string };
  main?: string;
  types?: string;
  bin?: string | Record<string, string>;
  exports?: unknown;
  files?: string[];
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/** A publishable workspace. */
export interface PublicPackage {
  name: string;
  version: string;
  /** Absolute path of the package folder. */
  dir: string;
  manifest: PackageManifest;
}

/** The repository root. */
export declare const repoRoot: string;

/** Every public package under packages/, dependencies before dependents. */
export function publicPackages(root?: string): PublicPackage[];
