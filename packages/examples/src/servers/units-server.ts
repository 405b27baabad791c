import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { modeFromArgv, serve } from '../serve.js';

// An offline unit converter: length, mass and temperature.
const FACTORS: Record<string, Record<string, number>> = {
  length: { m: 1, km: 1000, cm: 0.01, mm: 0.001, mi: 1609.344, ft: 0.3048, in: 0.0254 },
  mass: { kg: 1, g: 0.001, lb: 0.45359237, oz: 0.028349523125 },
};
const TEMPERATURE = ['C', 'F', 'K'];

function toKelvin(value: number, unit: string): number {
  return unit === 'C' ? value + 273.15 : unit === 'F' ? ((value - 32) * 5) / 9 + 273.15 : value;
}
function fromKelvin(value: number, unit: string): number {
  return unit === 'C' ? value - 273.15 : unit === 'F' ? ((value - 273.15) * 9) / 5 + 32 : value;
}

function convert(value: number, from: string, to: string): number | undefined {
  if (TEMPERATURE.includes(from) && TEMPERATURE.includes(to)) return fromKelvin(toKelvin(value, from), to);
  for (const table of Object.values(FACTORS)) {
    const f = table[from];
    const t = table[to];
    if (f !== undefined && t !== undefined) return (value * f) / t;
  }
  return undefined;
}

function build(): McpServer {
  const server = new McpServer({ name: 'units', version: '1.0.0' });
  server.registerTool(
    'convert',
    {
      description: 'Convert a value between units of length, mass or temperature',
      inputSchema: { value: z.number(), from: z.string(), to: z.string() },
      annotations: { readOnlyHint: true, idempotentHint: true },
    },
    async ({ value, from, to }) => {
      const result = convert(value, from, to);
      if (result === undefined)
        return { isError: true, content: [{ type: 'text', text: `Cannot convert ${from} to ${to}` }] };
      return { content: [{ type: 'text', text: `${value} ${from} = ${Number(result.toFixed(4))} ${to}` }] };
    },
  );
  server.registerTool(
    'list_units',
    { description: 'List the units this server knows', annotations: { readOnlyHint: true } },
    async () => ({
      content: [
        {
          type: 'text',
          text: [
            ...Object.entries(FACTORS).map(([k, t]) => `${k}: ${Object.keys(t).join(', ')}`),
            `temperature: ${TEMPERATURE.join(', ')}`,
          ].join('\n'),
        },
      ],
    }),
  );
  return server;
}

const { mode, port } = modeFromArgv();
await serve(build, mode, port);
