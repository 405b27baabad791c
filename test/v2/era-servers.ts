import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ClientHandlers } from '@universal-mcp/core';
import { fixtureStdio, handle, type HttpServerProcess } from '../helpers/servers.js';

const here = dirname(fileURLToPath(import.meta.url));

/** The SDK v2 era fixture (test/fixtures/v2-era-server.mjs): 2026-07-28 and 2025-11-25 from one factory. */
export const ERA_FIXTURE = join(here, '..', 'fixtures', 'v2-era-server.mjs');

/** A stdio config for the era fixture, its behaviour chosen by `env` (see the fixture's header); no health checks. */
export function eraStdio(name: string, env: Record<string, string> = {}, extra: Record<string, unknown> = {}) {
  return { ...fixtureStdio(name, { health: { intervalMs: 0 }, ...extra }), args: [ERA_FIXTURE, 'stdio'], env };
}

/** Starts the era fixture over Streamable HTTP on 127.0.0.1. */
export async function startEraHttp(env: Record<string, string> = {}): Promise<HttpServerProcess> {
  const child = spawn(process.execPath, [ERA_FIXTURE, 'http'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  child.stderr.resume();
  const url = await new Promise<string>((resolve, reject) => {
    let seen = '';
    child.stdout.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const m = /listening (\S+)/.exec(seen);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`era fixture exited (${code}): ${seen}`)));
  });
  child.stdout.resume();
  return handle(child, url);
}

/** A temporary file the fixture appends `start`, `server/discover` and `initialize` lines to (ERA_LOG). */
export async function eraLog(): Promise<{ file: string; lines(): Promise<string[]>; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'umcp-era-'));
  const file = join(dir, 'era.log');
  return {
    file,
    lines: async () => (await readFile(file, 'utf8').catch(() => '')).split('\n').filter((l) => l !== ''),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Handlers that answer the fixture's input requests: accept `deploy`, name `ask`'s tag, sample, one root. */
export const ANSWERS: ClientHandlers = {
  elicitation: async (params) => {
    const message = 'message' in params ? params.message : '';
    const tag = /name for (\S+)\?/.exec(message)?.[1];
    const content: Record<string, string | boolean> = tag === undefined ? { ok: true } : { name: `name-${tag}` };
    return { action: 'accept', content };
  },
  sampling: async (params) => {
    const first = params.messages[0]?.content;
    const text = first !== undefined && 'text' in first ? first.text : '';
    return { role: 'assistant', model: 'test', content: { type: 'text', text: `sampled-${text}` } };
  },
  roots: async () => ({ roots: [{ uri: 'file:///work' }] }),
};
