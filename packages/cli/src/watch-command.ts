import { watch as watchFile } from 'node:fs';
import { loadConfig, type LoadedConfig, type UniversalMcpEventName } from '@universal-mcp/supervisor';
import type { CliArgs } from './cli-args.js';
import { findConfig } from './config-discovery.js';
import { ExitCode } from './exit-codes.js';
import { clientFor, type Io } from './open-servers.js';
import { eventJson, eventLine } from './render.js';

const WATCHED: UniversalMcpEventName[] = [
  'server:state',
  'server:restarting',
  'server:given-up',
  'server:ready',
  'server:removed',
  'server:warning',
  'tools:changed',
  'server:stderr',
  'server:log',
  'server:input-required',
];

/** The monitoring view: runs until SIGINT or SIGTERM. */
export async function watch(args: CliArgs, io: Io): Promise<number> {
  const file = findConfig(args.config);
  const loaded = await loadConfig(file);
  const client = clientFor(args, loaded);
  const emitLine = (
    event: UniversalMcpEventName | 'config:applied' | 'config:invalid',
    payload: Record<string, unknown>,
  ): void => {
    // A listener that threw would throw into the server's connection: one bad event is said, and watching goes on.
    try {
      io.out(
        args.json
          ? eventJson(event as UniversalMcpEventName, payload)
          : eventLine(event as UniversalMcpEventName, payload),
      );
    } catch (err) {
      io.err(`umcp: could not print a ${event} event: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  for (const event of WATCHED)
    client.on(event, (payload: object) => emitLine(event, payload as Record<string, unknown>));
  const keep = (servers: LoadedConfig['servers']) =>
    args.servers.length === 0 ? servers : servers.filter((s) => args.servers.includes(s.name));
  await Promise.all(keep(loaded.servers).map((s) => client.addServer(s, { waitForReady: false })));

  let reload: NodeJS.Timeout | undefined;
  const watcher = args.watch
    ? watchFile(file, () => {
        clearTimeout(reload);
        reload = setTimeout(() => {
          loadConfig(file)
            .then((next) => client.applyConfig({ ...next, servers: keep(next.servers) }))
            .then(
              (result) =>
                io.out(
                  args.json
                    ? JSON.stringify({ t: new Date().toISOString(), event: 'config:applied', ...result })
                    : `${new Date().toISOString()} config applied: ${JSON.stringify(result)}`,
                ),
              (err: unknown) => io.err(`umcp: config not applied: ${(err as Error).message}`),
            );
        }, 200);
      })
    : undefined;

  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  watcher?.close();
  clearTimeout(reload);
  await client.close();
  return ExitCode.OK;
}
