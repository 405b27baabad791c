import { jsonText } from '@universal-mcp/core/internal';
import type { LoadedConfig, ToolChange } from '@universal-mcp/supervisor';
import { changeLines, printable } from './approval-prompt.js';
import type { CliArgs } from './cli-args.js';
import { open, openOne, settle, type Io } from './open-servers.js';
import { ExitCode, UsageError } from './exit-codes.js';
import { WHOLE } from './render.js';

/** What each action means for the tool, in the listing. */
const ACTION_WORDS: Record<ToolChange['action'], string> = {
  warn: 'offered, flagged',
  hold: 'not offered until accepted',
  block: 'not offered; only an accept brings it back',
};

/** Said when the config keeps no pins: each run then trusts what it sees first. */
const NO_PINS =
  'the config sets no "pins" file, so nothing is remembered between runs: each run pins what it first sees ' +
  'and only changes within the run show; add "pins": "pins.json" to the config to catch changes across runs';

/** The pending changes as the terminal shows them: a line per change, its diff indented under it. */
export function changesText(changes: readonly ToolChange[]): string {
  if (changes.length === 0) return 'no tool changes pending';
  const blocks = changes.map((c) =>
    [
      `${printable(`${c.server}/${c.tool}`)}  ${c.kind}  ${c.action} (${ACTION_WORDS[c.action]})`,
      ...changeLines(c).slice(1),
    ].join('\n'),
  );
  return `${blocks.join('\n')}\n\numcp accept <server>/<tool> accepts one (pins its current definition).`;
}

/** `umcp tools --changes`: every tool change not accepted yet (redefined or shadowing), with its diff. */
export async function toolChanges(args: CliArgs, io: Io): Promise<number> {
  const [only, ...extra] = args.positionals;
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  const { client, loaded, names } = only === undefined ? await open(args) : await openOne(args, only);
  try {
    await settle(client, names, args.waitMs);
    if (loaded.pins === undefined) io.err(`umcp: ${NO_PINS}`);
    const changes = client.toolChanges().filter((c) => names.includes(c.server));
    io.out(args.json ? jsonText(changes, WHOLE, 2) : changesText(changes));
    return ExitCode.OK;
  } finally {
    await client.close();
  }
}

/** `umcp accept <server>/<tool>`: pins a changed tool's current definition; it is offered again. */
export async function accept(args: CliArgs, io: Io): Promise<number> {
  const [target, ...extra] = args.positionals;
  const slash = target?.indexOf('/') ?? -1;
  if (target === undefined || slash <= 0 || slash === target.length - 1 || extra.length > 0)
    throw new UsageError('usage: umcp accept <server>/<tool>');
  const server = target.slice(0, slash);
  const tool = target.slice(slash + 1);
  const { client, loaded } = await openOne(args, server);
  try {
    requirePins(loaded);
    if (!(await client.acceptToolChange(server, tool))) {
      io.err(`umcp: no pending change of ${target} to accept (umcp tools --changes lists them)`);
      return ExitCode.TOOL_ERROR;
    }
    io.out(`accepted ${target}: its current definition is pinned in ${loaded.pins}`);
    return ExitCode.OK;
  } finally {
    await client.close();
  }
}

/** An accept without a pins file would be forgotten as the command ends: refused, saying why. */
function requirePins(loaded: LoadedConfig): void {
  if (loaded.pins === undefined) throw new UsageError(`umcp accept has nothing to keep it in: ${NO_PINS}`);
}
