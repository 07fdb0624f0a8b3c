import type { Writable } from "node:stream";

/** ANSI styles, or identity functions when colour is off, so callers style text unconditionally. */
export interface Colors {
  /** Whether the styles add escape codes. */
  enabled: boolean;
  /** Bold text. */
  bold(text: string): string;
  /** Dimmed text: headers and secondary details. */
  dim(text: string): string;
  /** Red text: failures. */
  red(text: string): string;
  /** Green text: successes. */
  green(text: string): string;
  /** Yellow text: retries, pending and stopped operations, warnings. */
  yellow(text: string): string;
  /** Cyan text: running operations and waits in progress. */
  cyan(text: string): string;
}

function style(enabled: boolean, open: number, close: number): (text: string) => string {
  return enabled ? (text) => `\u001b[${open}m${text}\u001b[${close}m` : (text) => text;
}

/** The ANSI styles when `enabled`, else styles that return the text unchanged. */
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
  /**
   * The styles to write with: on when stdout is a terminal or `FORCE_COLOR` is set, off when
   * `NO_COLOR` is set or `FORCE_COLOR` is `0`.
   */
  readonly color: Colors;
  /** Whether stdout is a terminal: only then is the transient status line shown. */
  readonly interactive: boolean;
  #statusShown = false;

  /**
   * @param stdout - results and progress; a TTY (`isTTY`) makes the output interactive.
   * @param stderr - errors and usage messages.
   * @param env - read for `NO_COLOR` and `FORCE_COLOR`; default `process.env`.
   */
  constructor(
    private readonly stdout: Writable & { isTTY?: boolean },
    private readonly stderr: Writable,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.interactive = stdout.isTTY === true;
    const colorWanted = env.NO_COLOR === undefined && (env.FORCE_COLOR !== undefined || this.interactive);
    this.color = colors(colorWanted && env.FORCE_COLOR !== "0");
  }

  /** Writes to the process's stdout and stderr: what the `cairn` binary uses. */
  static forProcess(): Output {
    return new Output(process.stdout, process.stderr);
  }

  /**
   * An Output that writes everything to this one's stderr, uncoloured: progress for a command
   * whose stdout carries only a machine-readable result (`cairn run --json`).
   */
  toStderr(): Output {
    return new Output(this.stderr, this.stderr, { NO_COLOR: "1" });
  }

  /** Writes one line to stdout, clearing the status line first. */
  line(text = ""): void {
    this.clearStatus();
    this.stdout.write(`${text}\n`);
  }

  /** Writes one line to stderr, clearing the status line first. */
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

  /** Erases the status line, if one is shown. */
  clearStatus(): void {
    if (!this.#statusShown) return;
    this.stdout.write("\r\u001b[K");
    this.#statusShown = false;
  }
}
