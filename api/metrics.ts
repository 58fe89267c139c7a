// `GET /metrics`: Prometheus text exposition of the API process's registry. Public like
// /healthz (policy null): it shows counts and latencies, never ids or payloads; expose the
// API port to the scraper only, or put the route behind the proxy's own auth.
// Request latency is recorded for every route by its template (`/compute/v2.1/servers/:serverId`),
// so the label set stays bounded whatever ids clients send.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { prepareCheckpoints } from '../projections/checkpoints.js';
import type { ReadModelDatabase } from '../projections/read-model.js';
import type { EventStore } from '../eventstore/port.js';
import type { StrataMetrics } from '../runtime/metrics/registry.js';

export interface MetricsOptions {
  metrics: StrataMetrics;
  events: EventStore;
  readModel: ReadModelDatabase;
}

/** Installs the latency hook on `app` itself (not encapsulated: it must see every route) and the route. */
export function useMetrics(app: FastifyInstance, { metrics, events, readModel }: MetricsOptions): void {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.requestDuration.observe({ method: request.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
  const checkpoints = prepareCheckpoints(readModel);
  app.get('/metrics', { schema: { summary: 'Prometheus metrics', response: { 200: z.string().describe('Prometheus text exposition format 0.0.4') } }, config: { policy: null } }, async (_request, reply) => {
    const head = await events.headPosition();
    metrics.headPosition.set(head);
    for (const { name, position } of checkpoints.all()) metrics.projectionLag.set({ projection: name }, Math.max(0, head - position));
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}
