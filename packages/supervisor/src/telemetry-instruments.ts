import type { Counter, Histogram, Meter } from '@opentelemetry/api';
import type { ConnectionState } from '@universal-mcp/core';
import { TelemetryAttributes as A, TelemetryMetrics } from './telemetry-attributes.js';

/** The conventions' advised buckets for both durations, in seconds. */
const BUCKETS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300];
const STATES: readonly ConnectionState[] = ['connecting', 'initialized', 'ready', 'failed', 'restarting', 'stopped'];

/** What the observable instruments read at collection time. */
export interface TelemetrySource {
  servers(): Iterable<{ name: string; state: ConnectionState; pending: number; queued: number }>;
}

/** The instruments telemetry records into; the observable ones are read from the source. */
export interface Instruments {
  readonly operationDuration: Histogram;
  readonly sessionDuration: Histogram;
  readonly calls: Counter;
  readonly restarts: Counter;
}

/** Creates every instrument on `meter` and registers one batch callback that reads `source` for the gauges. */
export function createInstruments(meter: Meter, source: TelemetrySource): Instruments {
  const advice = { explicitBucketBoundaries: BUCKETS };
  const operationDuration = meter.createHistogram(TelemetryMetrics.OPERATION_DURATION, {
    unit: 's',
    description: 'The duration of the MCP request as observed on the sender until the response is received.',
    advice,
  });
  const sessionDuration = meter.createHistogram(TelemetryMetrics.SESSION_DURATION, {
    unit: 's',
    description: 'The duration of the MCP session as observed on the MCP client.',
    advice,
  });
  const calls = meter.createCounter(TelemetryMetrics.CALLS, {
    unit: '{call}',
    description: 'Requests through the client, by server, method and outcome.',
  });
  const restarts = meter.createCounter(TelemetryMetrics.RESTARTS, {
    unit: '{restart}',
    description: 'Restarts scheduled by the supervisor.',
  });
  const servers = meter.createObservableUpDownCounter(TelemetryMetrics.SERVERS, {
    unit: '{server}',
    description: 'Servers in each connection state (1 for the state a server is in, 0 for the others).',
  });
  const inFlight = meter.createObservableGauge(TelemetryMetrics.IN_FLIGHT, {
    unit: '{call}',
    description: 'Calls running at the server.',
  });
  const queued = meter.createObservableGauge(TelemetryMetrics.QUEUED, {
    unit: '{call}',
    description: 'Calls waiting for a slot or for the server to be ready.',
  });
  // One read of the servers per collection, for all three.
  meter.addBatchObservableCallback(
    (result) => {
      for (const s of source.servers()) {
        const server = { [A.SERVER_NAME]: s.name };
        for (const state of STATES) result.observe(servers, s.state === state ? 1 : 0, { ...server, [A.STATE]: state });
        result.observe(inFlight, s.pending, server);
        result.observe(queued, s.queued, server);
      }
    },
    [servers, inFlight, queued],
  );
  return { operationDuration, sessionDuration, calls, restarts };
}
