import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "./usage-error.js";

type Options = NonNullable<ParseArgsConfig["options"]>;

export interface ParsedCommand {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

function describeParseError(error: { code?: string; message: string }): string {
  const option = /'(-{1,2}[^' ]+)/.exec(error.message)?.[1];
  switch (error.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return `Unknown option ${option ?? error.message}.`;
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      if (option !== undefined && /argument missing/.test(error.message)) return `Option ${option} needs a value.`;
      if (option !== undefined && /ambiguous/.test(error.message)) {
        return `Option ${option} needs a value, but is followed by another option. For a value starting with "-", write ${option}=VALUE.`;
      }
      return error.message;
    default:
      return error.message;
  }
}

/** parseArgs in strict mode, with its errors turned into UsageErrors that point at the help. */
export function parseCommand(command: string, argv: readonly string[], options: Options): ParsedCommand {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options: { ...options, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true,
    });
    return { values: values as ParsedCommand["values"], positionals };
  } catch (error) {
    if (error instanceof Error && typeof (error as { code?: unknown }).code === "string") {
      throw new UsageError(describeParseError(error as Error & { code: string }), command);
    }
    throw error;
  }
}

export function stringOption(parsed: ParsedCommand, name: string): string | undefined {
  const value = parsed.values[name];
  return typeof value === "string" ? value : undefined;
}

export function flag(parsed: ParsedCommand, name: string): boolean {
  return parsed.values[name] === true;
}

/** Checks the number of positional arguments, naming what is missing or extra. */
export function expectPositionals(
  command: string,
  parsed: ParsedCommand,
  names: { required: string[]; optional?: string[] },
): void {
  const { positionals } = parsed;
  const missing = names.required[positionals.length];
  if (missing !== undefined) throw new UsageError(`Missing ${missing}.`, command);
  const max = names.required.length + (names.optional?.length ?? 0);
  if (positionals.length > max) {
    const extra = positionals.slice(max).map((p) => `"${p}"`).join(" ");
    throw new UsageError(`Unexpected argument${positionals.length - max > 1 ? "s" : ""} ${extra}.`, command);
  }
}
