// The real OpenTelemetry SDKs for the telemetry tests: sdk-trace-base with an in-memory exporter,
// sdk-metrics with a reader the test collects from, W3C trace context over async hooks.
import { context, propagation } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { AggregationTemporality, MeterProvider, MetricReader, type MetricData } from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { UniversalMcpClient } from '@universal-mcp/supervisor';
import { afterAll, beforeAll } from 'vitest';

/** A reader the test collects from when it wants (no timer). */
class PullReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** Registers an async-hooks context manager and the W3C propagator for the file's tests, and removes them after. */
export function useTraceContext(): void {
  const contextManager = new AsyncLocalStorageContextManager();
  beforeAll(() => {
    context.setGlobalContextManager(contextManager.enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  });
  afterAll(() => {
    context.disable();
    propagation.disable();
  });
}

/** A client whose spans and metrics go to providers the test reads. */
export function instrumented(): {
  client: UniversalMcpClient;
  spans: InMemorySpanExporter;
  tracerProvider: BasicTracerProvider;
  metric(name: string): Promise<MetricData | undefined>;
} {
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  const reader = new PullReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const client = new UniversalMcpClient({
    defaults: { health: { intervalMs: 0 } },
    telemetry: { tracerProvider, meterProvider },
  });
  const metric = async (name: string): Promise<MetricData | undefined> => {
    const { resourceMetrics } = await reader.collect();
    return resourceMetrics.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === name);
  };
  return { client, spans, tracerProvider, metric };
}

/** The finished spans by that name. */
export const named = (spans: InMemorySpanExporter, name: string): ReadableSpan[] =>
  spans.getFinishedSpans().filter((s) => s.name === name);
