/** Polls `check` every 10 ms until it is true; fails after 5 s, saying `what` was awaited. */
export async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`still not true after 5 s: ${what}`);
}
