// Types of node-versions.mjs, for the TypeScript checks that import it.

/** The supported Node majors: the consumer fixtures run under each. */
export declare const SUPPORTED_NODE_MAJORS: readonly number[];

/** A Node binary of the given major: this process's own, or one fetched into `cacheRoot`. */
export function nodeBinary(major: number, cacheRoot: string): string;

/** `PATH` with the binary's folder first. */
export function pathWith(binary: string, path?: string): string;
