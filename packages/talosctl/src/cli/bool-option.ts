import { InvalidArgumentError, Option } from "commander";

const TRUE = new Set(["1", "t", "T", "TRUE", "true", "True"]);
const FALSE = new Set(["0", "f", "F", "FALSE", "false", "False"]);

/** Parses a boolean the way Go's strconv.ParseBool (and so cobra's bool flags) does. */
export function parseGoBool(value: string): boolean {
  if (TRUE.has(value)) return true;
  if (FALSE.has(value)) return false;
  throw new InvalidArgumentError(`expected true or false, got ${JSON.stringify(value)}`);
}

/**
 * A boolean flag that, like cobra's, is set by `--flag`, `--flag=true` or `--flag=false`, so that flags
 * defaulting to true (`--with-docs`) can be turned off the way Talos users write it.
 */
export function boolOption(flags: string, description: string, defaultValue: boolean): Option {
  return new Option(`${flags} [bool]`, description)
    .default(defaultValue)
    .preset("true")
    .argParser((value: string) => parseGoBool(value));
}
