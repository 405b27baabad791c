import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** The path of a built example server (`notes-server`, `units-server`). */
export function exampleServerPath(name: 'notes-server' | 'units-server'): string {
  return join(here, 'servers', `${name}.js`);
}

/** An example server over HTTP in a child process on 127.0.0.1; `stop()` ends it. */
export interface RunningHttpServer {
  readonly url: string;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts an example server over Streamable HTTP ('http') or SSE and waits for its URL. */
export function startHttpExample(
  name: 'notes-server' | 'units-server',
  mode: 'http' | 'sse',
): Promise<RunningHttpServer> {
  const child = spawn(process.execPath, [exampleServerPath(name), mode, '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stdout.on('data', (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      const url = /listening (\S+)/.exec(seen)?.[1];
      if (url === undefined) return;
      child.stdout.removeAllListeners('data');
      child.stdout.resume();
      resolve({
        url,
        child,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
    child.once('exit', (code) => reject(new Error(`${name} exited with code ${code} before listening`)));
  });
}
