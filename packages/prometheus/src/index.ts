/**
 * The OpenTelemetry metrics of Universal MCP (or anything else on this meter provider) as a
 * Prometheus text exposition, served by a handler to mount on any Node HTTP server.
 * @packageDocumentation
 * @module @universal-mcp/prometheus
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';

/** A meter provider read by Prometheus, and the handler that serves what it reads. */
export interface PrometheusMetrics {
  /** Give it to the client: `new UniversalMcpClient({ telemetry: { meterProvider } })`. */
  readonly meterProvider: MeterProvider;
  /** Answers a scrape (`GET /metrics`) with the text exposition format. */
  handler(request: IncomingMessage, response: ServerResponse): void;
  /** Stops the provider (its instruments record nothing more). */
  shutdown(): Promise<void>;
}

/**
 * A Prometheus endpoint for the client's metrics, served by your own HTTP server:
 * @example
 * const prometheus = createPrometheusMetrics();
 * const client = new UniversalMcpClient({ telemetry: { meterProvider: prometheus.meterProvider } });
 * http.createServer((req, res) => (req.url === '/metrics' ? prometheus.handler(req, res) : app(req, res)));
 */
export function createPrometheusMetrics(): PrometheusMetrics {
  // No server of its own (the handler is mounted on yours), no scope labels on every series.
  const exporter = new PrometheusExporter({ preventServerStart: true, withoutScopeInfo: true });
  const meterProvider = new MeterProvider({ readers: [exporter] });
  return {
    meterProvider,
    handler: (request, response) => exporter.getMetricsRequestHandler(request, response),
    shutdown: () => meterProvider.shutdown(),
  };
}
