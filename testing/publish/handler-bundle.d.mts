// Types of handler-bundle.mjs, for the TypeScript test that imports it.

/** The package each side's handler imports. */
export declare const SDK_PACKAGES: { readonly cairn: "@cairn/sdk"; readonly aws: "@aws/durable-execution-sdk-js" };

/** The handler, with its import specifier left open; both SDKs accept the same code. */
export function handlerSource(specifier: string): string;

/** A temporary project with both handlers and @cairn/sdk unpacked from its tarball. */
export interface HandlerProject {
  dir: string;
  /** How long `npm pack` and unpacking took. */
  packMs: number;
  dispose(): void;
}

export function createHandlerProject(): Promise<HandlerProject>;

export interface BundleOptions {
  sdk: "cairn" | "aws";
  format: "esm" | "cjs";
  minify: boolean;
  /** `@aws-sdk/*` left out, as Lambda's Node runtime provides it. */
  awsSdkExternal: boolean;
}

export interface HandlerBundle extends BundleOptions {
  bytes: number;
  gzipBytes: number;
  /** Bundled files, as esbuild's metafile names them. */
  inputs: string[];
  /** What the bundle must not contain; empty when clean. */
  forbidden: string[];
  /** The ten inputs that put the most bytes into the output. */
  largest: { path: string; bytes: number }[];
}

export function bundleHandler(project: { dir: string }, options: BundleOptions): Promise<HandlerBundle>;

export function forbiddenContent(inputs: string[], externalImports: string[], text: string): string[];

export function bundleMatrix(): BundleOptions[];

export function measureHandlerBundles(): Promise<{ bundles: HandlerBundle[]; packMs: number; bundleMs: number }>;

export function bundleSizeTable(bundles: HandlerBundle[]): string;

export function describeSource(): string;
