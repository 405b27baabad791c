export { run } from './main.js';
export { parseCliArgs, COMMANDS } from './cli-args.js';
export { helpFor } from './cli-help.js';
export { toolArguments } from './tool-arguments.js';
export type { CliArgs, Command } from './cli-args.js';
export { ExitCode, exitCodeFor, UsageError } from './exit-codes.js';
export { DEFAULT_CONFIG_PATHS, findConfig } from './config-discovery.js';
