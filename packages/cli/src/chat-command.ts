import type { CliArgs } from './cli-args.js';
import { chat, modelFromArgs } from './chat.js';
import { infoOf, open, settle, type Io } from './open-servers.js';

/** `umcp chat`: every server of the config supervised, their tools handed to the model. */
export async function chatCommand(args: CliArgs, io: Io): Promise<number> {
  const model = modelFromArgs(args); // what is missing is said before anything starts
  const { client, names } = await open(args);
  try {
    await settle(client, names, args.waitMs);
    for (const n of names) {
      const info = infoOf(client, n);
      if (info.state !== 'ready')
        io.err(`umcp: server "${n}" is unavailable: ${info.lastError?.message ?? info.state}`);
    }
    return await chat(
      client,
      args,
      { input: process.stdin, out: (t) => process.stdout.write(t), err: (t) => io.err(t) },
      model,
    );
  } finally {
    await client.close();
  }
}
