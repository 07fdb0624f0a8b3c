/**
 * A loader for the optional peer dependency `name`, imported on first use so that importing this
 * package never requires it. A failed load is reported with what to install, and tried again on
 * the next call (the application may install it meanwhile).
 *
 * @param usedBy what needs the peer, as the start of the error message ("The S3 sources")
 */
export function optionalPeer<T>(name: string, usedBy: string, load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () =>
    (loaded ??= load().catch((error: unknown) => {
      loaded = undefined;
      throw new Error(
        `${usedBy} of @cairn/sources need the peer dependency ${name}; install it (npm install ${name}). ` +
          `Loading it failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }));
}
