import { spawn } from 'node:child_process';
import { eventually, stopChild, UMCP } from '../helpers/servers.js';

/** A `umcp serve --http` process: its MCP endpoint, and how to stop it. */
export interface ServeProcess {
  readonly url: URL;
  stop(): Promise<void>;
}

/**
 * `umcp serve --config <config> --http 127.0.0.1:0 --token-env TOKEN [...extra]` in its own
 * process (a gateway that freezes must fail a test, not freeze its worker), once it listens.
 */
export async function startServe(config: string, token: string, extra: string[] = []): Promise<ServeProcess> {
  const args = [UMCP, 'serve', '--config', config, '--http', '127.0.0.1:0', '--token-env', 'TOKEN', ...extra];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, TOKEN: token },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  try {
    // umcp serve starts its servers first: slow on a loaded machine, hence the generous bound.
    await eventually(() => /umcp serve: http:\/\/\S+\/mcp/.test(stderr), 60_000);
  } catch (err) {
    await stopChild(child);
    throw err;
  }
  return { url: new URL(/umcp serve: (http:\/\/\S+?\/mcp)/.exec(stderr)?.[1] as string), stop: () => stopChild(child) };
}
