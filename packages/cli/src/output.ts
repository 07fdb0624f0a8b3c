import type { Writable } from "node:stream";

/** ANSI styles, or identity functions when colour is off. */
export interface Colors {
  enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

function style(enabled: boolean, open: number, close: number): (text: string) => string {
  return enabled ? (text) => `\u001b[${open}m${text}\u001b[${close}m` : (text) => text;
}

export function colors(enabled: boolean): Colors {
  return {
    enabled,
    bold: style(enabled, 1, 22),
    dim: style(enabled, 2, 22),
    red: style(enabled, 31, 39),
    green: style(enabled, 32, 39),
    yellow: style(enabled, 33, 39),
    cyan: style(enabled, 36, 39),
  };
}

/**
 * Where the CLI writes. Results and progress go to stdout, problems to stderr. On a terminal a
 * transient status line (the wait countdown) is redrawn in place and cleared before the next
 * regular line, so it never leaves debris in the scrollback; elsewhere it is not shown at all.
 */
export class Output {
  readonly color: Colors;
  readonly interactive: boolean;
  #statusShown = false;

  constructor(
    private readonly stdout: Writable & { isTTY?: boolean },
    private readonly stderr: Writable,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.interactive = stdout.isTTY === true;
    const colorWanted = env.NO_COLOR === undefined && (env.FORCE_COLOR !== undefined || this.interactive);
    this.color = colors(colorWanted && env.FORCE_COLOR !== "0");
  }

  static forProcess(): Output {
    return new Output(process.stdout, process.stderr);
  }

  line(text = ""): void {
    this.clearStatus();
    this.stdout.write(`${text}\n`);
  }

  error(text: string): void {
    this.clearStatus();
    this.stderr.write(`${text}\n`);
  }

  /** Redraws the transient status line; a no-op when stdout is not a terminal. */
  status(text: string): void {
    if (!this.interactive) return;
    this.stdout.write(`\r\u001b[K${text}`);
    this.#statusShown = true;
  }

  clearStatus(): void {
    if (!this.#statusShown) return;
    this.stdout.write("\r\u001b[K");
    this.#statusShown = false;
  }
}
