export { run } from './main.js';
export { parseCliArgs, toolArguments, helpFor, COMMANDS } from './cli-args.js';
export type { CliArgs, Command } from './cli-args.js';
export { ExitCode, exitCodeFor, UsageError } from './exit-codes.js';
export { DEFAULT_CONFIG_PATHS, findConfig } from './config-discovery.js';
