// One check for a failed file-system call's error code, shared by the file store's modules.

/** Whether `error` is a Node.js system error whose code is one of `codes` (`ENOENT`, `EEXIST`, …). */
export function isErrno(error: unknown, ...codes: string[]): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as NodeJS.ErrnoException).code;
  return code !== undefined && codes.includes(code);
}
