import {
  context,
  createNoopMeter,
  metrics,
  propagation,
  ProxyTracerProvider,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type MeterProvider,
  type Span,
  type Tracer,
  type TracerProvider,
} from '@opentelemetry/api';
import { PROTOCOL_2026, type ServerConfig } from '@universal-mcp/core';
import type { CallOptions } from './call-options.js';
import { VERSION } from './version.js';
import type { ServerInputRequiredEvent, ServerStateEvent } from './events.js';
import {
  TOOL_ERROR,
  TelemetryAttributes as A,
  connectionAttributes,
  errorType,
  failureOf,
  type Failure,
} from './telemetry-attributes.js';
import { createInstruments, type Instruments, type TelemetrySource } from './telemetry-instruments.js';

// In their own file; re-exported from here, where the package's index has always taken them.
export { TelemetryAttributes, TelemetryMetrics } from './telemetry-attributes.js';

/** Where telemetry goes. Without a provider, the global one (`@opentelemetry/api`): a no-op until an SDK registers. */
export interface TelemetryOptions {
  /** Spans go here. @default the global provider (it follows an SDK registered at any time) */
  readonly tracerProvider?: TracerProvider | undefined;
  /** Metrics go here. @default the global provider as it is when the client is made (register the SDK first) */
  readonly meterProvider?: MeterProvider | undefined;
}

/** What the global tracer provider delegates to while no SDK is registered. */
const NOOP_TRACER_PROVIDER = new ProxyTracerProvider().getDelegate();
/** The class of the meter the global API gives while no SDK is registered. */
const NOOP_METER = createNoopMeter().constructor;
const SCOPE = '@universal-mcp/supervisor';

/** What telemetry reads of a server, cheaply, on every request. */
export interface TelemetryTarget {
  readonly name: string;
  readonly config: ServerConfig;
  readonly sessionId: string | undefined;
  readonly protocolVersion: string | undefined;
}

/** What a request is about: its method and, where there is one, its tool, prompt or resource. */
export interface RequestSubject {
  readonly method: string;
  readonly tool?: string | undefined;
  readonly prompt?: string | undefined;
  readonly uri?: string | undefined;
}

/** What a traced request sends along: its trace context, and who wants its JSON-RPC id. */
export interface RequestExtras {
  readonly meta?: Record<string, string>;
  readonly onSent?: (requestId: string | number) => void;
}

/**
 * Spans and metrics by the MCP semantic conventions, through `@opentelemetry/api` only: a CLIENT
 * span per request (`tools/call get_weather`) with W3C trace context injected into
 * `params._meta`, a span per connection attempt with its state changes as events, and the
 * conventions' duration histograms beside the supervisor's own counters and gauges.
 */
export class Telemetry {
  readonly #tracer: Tracer;
  /** The tracer provider given, if one was (else the global one, checked per request). */
  readonly #tracerProvider: TracerProvider | undefined;
  /** Metrics are recorded: a meter provider was given, or an SDK was registered before this client was made. */
  readonly #metricsOn: boolean;
  readonly #instruments: Instruments;
  readonly #static = new Map<string, Attributes>();
  readonly #connecting = new Map<string, Span>();
  readonly #readyAt = new Map<string, number>();
  /** The restart that the next attempt of a server follows (an event on its span). */
  readonly #restartsPending = new Map<string, Attributes>();

  constructor(options: TelemetryOptions, source: TelemetrySource) {
    this.#tracerProvider = options.tracerProvider;
    this.#tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(SCOPE, VERSION);
    const meter = (options.meterProvider ?? metrics.getMeterProvider()).getMeter(SCOPE, VERSION);
    this.#metricsOn = !(meter instanceof NOOP_METER);
    this.#instruments = createInstruments(meter, source);
  }

  /** A tracer provider was given, or the global one has an SDK behind it (it may be registered late). */
  #tracingOn(): boolean {
    if (this.#tracerProvider !== undefined) return true;
    const global = trace.getTracerProvider();
    return !(global instanceof ProxyTracerProvider) || global.getDelegate() !== NOOP_TRACER_PROVIDER;
  }

  #attributesOf(target: TelemetryTarget): Attributes {
    let fixed = this.#static.get(target.name);
    if (fixed === undefined) {
      fixed = { [A.SERVER_NAME]: target.name, ...connectionAttributes(target.config) };
      this.#static.set(target.name, fixed);
    }
    return fixed;
  }

  /**
   * Runs one request inside its CLIENT span; `run` gets the `_meta` entries to send (the trace
   * context, when a propagator is registered) and a listener for the JSON-RPC id. The span and
   * the metrics record how it ended.
   */
  request<T>(
    target: TelemetryTarget,
    subject: RequestSubject,
    run: (extra: RequestExtras | undefined) => Promise<T>,
  ): Promise<T> {
    // Nothing registered, nothing given: not a span, not an attribute (this is every call's path).
    const tracing = this.#tracingOn();
    if (!this.#metricsOn && !tracing) return run(undefined);
    const started = performance.now();
    const metricAttributes: Attributes = { ...this.#attributesOf(target), [A.METHOD]: subject.method };
    if (subject.tool !== undefined) metricAttributes[A.TOOL_NAME] = subject.tool;
    if (subject.prompt !== undefined) metricAttributes[A.PROMPT_NAME] = subject.prompt;
    if (target.protocolVersion !== undefined) metricAttributes[A.PROTOCOL_VERSION] = target.protocolVersion;
    // Metrics only (a Prometheus endpoint, no tracing): no span, no context, no trace context sent.
    const span = tracing ? this.#startSpan(target, subject, metricAttributes) : undefined;
    const end = (outcome: string, failure: Failure | undefined, message: string | undefined): void => {
      if (failure !== undefined) {
        Object.assign(metricAttributes, failure.metric);
        span?.setAttributes(failure.span);
        span?.setStatus({ code: SpanStatusCode.ERROR, ...(message === undefined ? {} : { message }) });
      }
      span?.end();
      this.#instruments.operationDuration.record((performance.now() - started) / 1000, metricAttributes);
      this.#instruments.calls.add(1, {
        [A.SERVER_NAME]: target.name,
        [A.METHOD]: subject.method,
        [A.OUTCOME]: outcome,
      });
    };
    return (span === undefined ? run(undefined) : this.#within(span, run)).then(
      (result) => {
        const isError = (result as { isError?: unknown } | undefined)?.isError === true;
        if (isError) end('tool_error', TOOL_ERROR, undefined);
        else end('ok', undefined, undefined);
        return result;
      },
      (err: unknown) => {
        end(errorType(err), failureOf(err), err instanceof Error ? err.message : String(err));
        throw err;
      },
    );
  }

  /** The request's CLIENT span, a child of the caller's active span. */
  #startSpan(target: TelemetryTarget, subject: RequestSubject, metricAttributes: Attributes): Span {
    const attributes: Attributes = { ...metricAttributes };
    if (subject.tool !== undefined) attributes[A.OPERATION_NAME] = 'execute_tool';
    if (subject.uri !== undefined) attributes[A.RESOURCE_URI] = subject.uri;
    if (target.sessionId !== undefined) attributes[A.SESSION_ID] = target.sessionId;
    const name = `${subject.method} ${subject.tool ?? subject.prompt ?? ''}`.trimEnd();
    return this.#tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes }, context.active());
  }

  /** Runs `run` with `span` active, giving it the trace context to send. */
  #within<T>(span: Span, run: (extra: RequestExtras | undefined) => Promise<T>): Promise<T> {
    const active = trace.setSpan(context.active(), span);
    return context.with(active, () => run(this.#extrasFor(span, active)));
  }

  /** What the request sends along: the trace context (with the registered propagator) and an id listener. */
  #extrasFor(span: Span, active: ReturnType<typeof context.active>): RequestExtras {
    const carrier: Record<string, string> = {};
    propagation.inject(active, carrier);
    return {
      ...(Object.keys(carrier).length > 0 ? { meta: carrier } : {}),
      ...(span.isRecording() ? { onSent: (id) => void span.setAttribute(A.REQUEST_ID, String(id)) } : {}),
    };
  }

  /** A server was added: its first connection attempt begins. */
  serverAdded(target: TelemetryTarget): void {
    this.#startConnect(target, 1);
  }

  #startConnect(target: TelemetryTarget, attempt: number): void {
    this.#connecting.get(target.name)?.end();
    const span = this.#tracer.startSpan(`connect ${target.name}`, {
      kind: SpanKind.CLIENT,
      attributes: { ...this.#attributesOf(target), [A.METHOD]: 'initialize', 'umcp.attempt': attempt },
    });
    this.#connecting.set(target.name, span);
    const restart = this.#restartsPending.get(target.name);
    this.#restartsPending.delete(target.name);
    if (restart !== undefined) span.addEvent('restart', restart);
  }

  /** A state change: an event on the attempt's span, which ends at `ready` or `failed`; sessions timed. */
  stateChanged(target: TelemetryTarget, event: ServerStateEvent, errorCode: string | undefined): void {
    if (event.to === 'connecting' && !this.#connecting.has(target.name)) this.#startConnect(target, event.attempt);
    const span = this.#connecting.get(target.name);
    span?.addEvent('state', {
      from: event.from,
      to: event.to,
      ...(event.reason === undefined ? {} : { reason: event.reason }),
    });
    if (event.to === 'ready') {
      this.#readyAt.set(target.name, performance.now());
      if (target.sessionId !== undefined) span?.setAttribute(A.SESSION_ID, target.sessionId);
      if (target.protocolVersion !== undefined) span?.setAttribute(A.PROTOCOL_VERSION, target.protocolVersion);
      // Which handshake the attempt was is known only now: a 2026-07-28 server has no `initialize`.
      if (target.protocolVersion === PROTOCOL_2026) span?.setAttribute(A.METHOD, 'server/discover');
      span?.end();
      this.#connecting.delete(target.name);
    } else if (event.to === 'failed' || event.to === 'stopped') {
      if (span !== undefined && event.to === 'failed') {
        span.setAttribute(A.ERROR_TYPE, errorCode ?? '_OTHER');
        span.setStatus({
          code: SpanStatusCode.ERROR,
          ...(event.reason === undefined ? {} : { message: event.reason }),
        });
      }
      span?.end();
      this.#connecting.delete(target.name);
    }
    if (event.from === 'ready') {
      const since = this.#readyAt.get(target.name);
      this.#readyAt.delete(target.name);
      if (since !== undefined) {
        const attributes: Attributes = { ...this.#attributesOf(target) };
        if (event.to === 'failed') attributes[A.ERROR_TYPE] = errorCode ?? '_OTHER';
        this.#instruments.sessionDuration.record((performance.now() - since) / 1000, attributes);
      }
    }
  }

  /** A restart was scheduled: counted, and an event on the next attempt's span. */
  restarting(target: TelemetryTarget, delayMs: number, errorCode: string | undefined): void {
    const error = errorCode === undefined ? {} : { [A.ERROR_TYPE]: errorCode };
    this.#instruments.restarts.add(1, { [A.SERVER_NAME]: target.name, ...error });
    this.#restartsPending.set(target.name, { 'umcp.delay_ms': delayMs, ...error });
  }

  /**
   * An MRTR round: an event on the span of the request that waits for the input (the span is the
   * active one while the request runs), with the round and the methods asked for.
   */
  inputRequired(event: ServerInputRequiredEvent): void {
    trace.getActiveSpan()?.addEvent('input_required', {
      [A.METHOD]: event.method,
      'umcp.round': event.round,
      'umcp.input.methods': event.requests.map((r) => r.method),
    });
  }

  /** A server was removed: its open attempt span ends. */
  serverRemoved(name: string): void {
    this.#connecting.get(name)?.end();
    this.#connecting.delete(name);
    this.#readyAt.delete(name);
    this.#restartsPending.delete(name);
    this.#static.delete(name);
  }
}

/** The options with telemetry's `_meta` entries and id listener added. */
export function withMeta(options: CallOptions | undefined, extra: RequestExtras | undefined): CallOptions | undefined {
  if (extra === undefined) return options;
  const { meta, onSent } = extra;
  const told = options?.onSent;
  return {
    ...options,
    ...(meta === undefined ? {} : { meta: { ...options?.meta, ...meta } }),
    ...(onSent === undefined
      ? {}
      : {
          onSent: (id: string | number) => {
            onSent(id);
            told?.(id);
          },
        }),
  };
}
