// The API process's Prometheus metrics (prom-client, one registry per process so tests
// and several API instances in one process never share series). Names follow Prometheus
// conventions: seconds, bytes, `_total` for counters.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Lifecycle operations last seconds to many minutes (downloads), API calls milliseconds. */
const OPERATION_BUCKETS = [0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900, 3600];
const STEP_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900];
const REQUEST_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const APPEND_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

export function createStrataMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'strata_' });
  const registers = [registry];
  return {
    registry,
    operations: new Counter({
      name: 'strata_operations_total',
      help: 'Instance lifecycle operations (launch, delete, snapshot, retry, …) finished, by outcome, as recorded in the event log',
      labelNames: ['operation', 'outcome'] as const,
      registers,
    }),
    operationDuration: new Histogram({
      name: 'strata_operation_duration_seconds',
      help: 'From the request to the last step of a lifecycle operation, by outcome',
      labelNames: ['operation', 'outcome'] as const,
      buckets: OPERATION_BUCKETS,
      registers,
    }),
    stepDuration: new Histogram({
      name: 'strata_operation_step_duration_seconds',
      help: 'Workflow steps of lifecycle operations (from the previous step to this one), by result',
      labelNames: ['operation', 'step', 'result'] as const,
      buckets: STEP_BUCKETS,
      registers,
    }),
    imageCacheRequests: new Counter({
      name: 'strata_image_cache_requests_total',
      help: 'Root disks built on a host from a cached base image: miss = the first from that base on that host',
      labelNames: ['host', 'result'] as const,
      registers,
    }),
    imageCacheMissBytes: new Counter({
      name: 'strata_image_cache_miss_bytes_total',
      help: 'Image bytes a cache miss had to download to the host',
      labelNames: ['host'] as const,
      registers,
    }),
    eventsRecorded: new Counter({
      name: 'strata_eventstore_events_total',
      help: 'Events in the log (every process), by stream category',
      labelNames: ['category'] as const,
      registers,
    }),
    appends: new Counter({
      name: 'strata_eventstore_appends_total',
      help: "This process's appends to the event store, by outcome",
      labelNames: ['outcome'] as const,
      registers,
    }),
    appendDuration: new Histogram({
      name: 'strata_eventstore_append_duration_seconds',
      help: "Latency of this process's appends (group commit and fsync included)",
      labelNames: ['outcome'] as const,
      buckets: APPEND_BUCKETS,
      registers,
    }),
    headPosition: new Gauge({ name: 'strata_eventstore_head_position', help: 'Position of the newest event in the log', registers }),
    projectionLag: new Gauge({
      name: 'strata_projection_lag_events',
      help: "Events in the log a projection of this process's read model has not applied yet",
      labelNames: ['projection'] as const,
      registers,
    }),
    requestDuration: new Histogram({
      name: 'strata_api_request_duration_seconds',
      help: 'HTTP API latency, by method, route template and status code',
      labelNames: ['method', 'route', 'status_code'] as const,
      buckets: REQUEST_BUCKETS,
      registers,
    }),
  };
}

export type StrataMetrics = ReturnType<typeof createStrataMetrics>;
