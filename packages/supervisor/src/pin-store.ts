// Where pinned tool definitions persist. The file is read once, synchronously, when the client is made (a
// corrupt file is an error at start, never silently reset: a reset would trust whatever servers say next).
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { ErrorCode, UniversalMcpError } from '@universal-mcp/core';
import { writeFileAtomic } from './atomic-file.js';
import type { PinnedDefinition } from './tool-pins.js';

/** One tool's pin: the fingerprint of its definition and the definition itself (for the diff). */
export interface PinnedTool {
  /** sha256 (hex) of the definition's canonical JSON. */
  readonly sha256: string;
  /** The pinned fields: name, title, description, inputSchema, outputSchema, annotations. */
  readonly definition: PinnedDefinition;
}

/** Every pin, by server then tool: the pins file's format. */
export interface PinsData {
  /** The format's version. */
  readonly version: 1;
  /** Pins by server name, then tool name. */
  readonly servers: Record<string, Record<string, PinnedTool>>;
}

/**
 * Where the client keeps pinned tool definitions (the `pins` option takes a file path or one of these).
 * `load` is called once, when the client is made; `save` after every change, with every pin.
 */
export interface PinStore {
  /** Every pin; undefined when there are none yet. Throws `CONFIG_INVALID` when what is stored is unreadable. */
  load(): PinsData | undefined;
  /** Replaces what is stored with `pins`. */
  save(pins: PinsData): Promise<void>;
}

/** A pins file larger than this is refused rather than read into memory (and never written). */
export const MAX_PINS_BYTES = 32 * 1024 * 1024;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks what a pins file holds; the message says what is wrong. */
function parsePins(value: unknown): PinsData {
  if (!isRecord(value) || value['version'] !== 1) throw new Error('expected { "version": 1, "servers": {...} }');
  const servers = value['servers'];
  if (!isRecord(servers)) throw new Error('"servers" must be an object');
  const out: Record<string, Record<string, PinnedTool>> = Object.create(null) as Record<string, never>;
  for (const [server, tools] of Object.entries(servers)) {
    if (!isRecord(tools)) throw new Error(`servers.${server} must be an object`);
    const pins: Record<string, PinnedTool> = Object.create(null) as Record<string, never>;
    for (const [tool, pin] of Object.entries(tools)) {
      if (!isRecord(pin) || typeof pin['sha256'] !== 'string' || !/^[0-9a-f]{64}$/.test(pin['sha256']))
        throw new Error(`servers.${server}.${tool}.sha256 must be a sha256 in hex`);
      if (!isRecord(pin['definition'])) throw new Error(`servers.${server}.${tool}.definition must be an object`);
      pins[tool] = { sha256: pin['sha256'], definition: pin['definition'] };
    }
    out[server] = pins;
  }
  return { version: 1, servers: out };
}

function readBounded(path: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const size = fstatSync(fd).size;
    if (size > MAX_PINS_BYTES) throw new Error(`larger than ${MAX_PINS_BYTES} bytes`);
    const buffer = Buffer.alloc(size);
    let read = 0;
    while (read < size) {
      const n = readSync(fd, buffer, read, size - read, read);
      if (n === 0) break;
      read += n;
    }
    return buffer.toString('utf8', 0, read);
  } finally {
    closeSync(fd);
  }
}

/**
 * A {@link PinStore} in a JSON file: written 0600 (its directory 0700) through a temporary file and a
 * rename, so that a crash mid-write leaves the old file whole.
 */
export class FilePinStore implements PinStore {
  /** The pins file's path. */
  readonly path: string;

  constructor(path: string) {
    this.path = path;
  }

  load(): PinsData | undefined {
    try {
      const text = readBounded(this.path);
      return text === undefined ? undefined : parsePins(JSON.parse(text));
    } catch (err) {
      throw new UniversalMcpError(
        ErrorCode.CONFIG_INVALID,
        `Pins file ${this.path} is unreadable (${(err as Error).message}); fix or remove it`,
        { cause: err, details: { field: 'pins' } },
      );
    }
  }

  async save(pins: PinsData): Promise<void> {
    // Compact: the file is read by this loader, not by people, and indenting would multiply its size.
    const text = `${JSON.stringify(pins)}\n`;
    // A file the loader would refuse would stop the next start: keep the old one instead.
    if (Buffer.byteLength(text) > MAX_PINS_BYTES)
      throw new UniversalMcpError(
        ErrorCode.CONFIG_INVALID,
        `Pins not written to ${this.path}: larger than ${MAX_PINS_BYTES} bytes`,
        { details: { field: 'pins' } },
      );
    await writeFileAtomic(this.path, text);
  }
}
