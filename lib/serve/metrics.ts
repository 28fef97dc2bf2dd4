/** The service's Prometheus metrics, on a registry of its own (prefix lstm_lrp_). */
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { Counter, Gauge, Histogram, Registry } from 'prom-client'

/** Milliseconds between the delay monitor's samples. */
const RESOLUTION_MS = 10

/**
 * A value of the delay histogram as seconds of delay; 0 before the first sample. The histogram
 * records the whole time between samples, so an idle loop reads RESOLUTION_MS: that is taken off.
 */
function seconds(nanoseconds: number): number {
  return Number.isFinite(nanoseconds) ? Math.max(0, nanoseconds - RESOLUTION_MS * 1e6) / 1e9 : 0
}

export interface ServeMetrics {
  registry: Registry
  requests: Counter<'route' | 'method' | 'status'>
  duration: Histogram<'route'>
  batchSize: Histogram
  queueDepth: Gauge
  explanations: Counter
  /** Stops the event-loop delay sampling. */
  stop(): void
}

export function serveMetrics(): ServeMetrics {
  const registry = new Registry()
  const loop = monitorEventLoopDelay({ resolution: RESOLUTION_MS })
  loop.enable()
  const requests = new Counter({ name: 'lstm_lrp_http_requests_total', help: 'HTTP requests answered, by route, method and status', labelNames: ['route', 'method', 'status'] as const, registers: [registry] })
  const duration = new Histogram({
    name: 'lstm_lrp_http_request_duration_seconds',
    help: 'Time from a request to its answer, by route',
    labelNames: ['route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  })
  const batchSize = new Histogram({ name: 'lstm_lrp_batch_size', help: 'Explanations per kernel call', buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024], registers: [registry] })
  const queueDepth = new Gauge({ name: 'lstm_lrp_queue_depth', help: 'Explanations waiting for a kernel call', registers: [registry] })
  const explanations = new Counter({ name: 'lstm_lrp_explanations_total', help: 'Explanations computed (its rate is explanations per second)', registers: [registry] })
  new Gauge({
    name: 'lstm_lrp_event_loop_delay_seconds',
    help: 'Event-loop delay since the last scrape, by quantile',
    labelNames: ['quantile'] as const,
    registers: [registry],
    collect() {
      for (const quantile of [0.5, 0.9, 0.99]) this.set({ quantile: String(quantile) }, seconds(loop.percentile(quantile * 100)))
      this.set({ quantile: '1' }, seconds(loop.max))
      loop.reset()
    },
  })
  return { registry, requests, duration, batchSize, queueDepth, explanations, stop: () => loop.disable() }
}
