// `GET /ops/v1/failures`: failed launches (instances in ERROR with their fault, and whether
// their launch still waits for a retry or delete) and failed workflows (deletes, snapshots,
// imports …), newest first, each with a link to its run in the Temporal UI.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Failure } from '../../application/ops/failure.js';
import { workflowUrl } from '../../application/ops/failure.js';
import { launchFailures } from '../../application/ops/launch-failures.js';
import { workflowFailures } from '../../application/ops/workflow-failures.js';
import { temporalUiUrl } from '../../config/paths.js';
import type { OpsRouteOptions } from './options.js';
import { many } from '../responses.js';

const newestFirst = (a: Failure, b: Failure) => (b.failed_at ?? '').localeCompare(a.failed_at ?? '');

export const failureRoutes: FastifyPluginAsyncZod<OpsRouteOptions> = async (app, { config, events, temporal, instances }) => {
  const uiUrl = temporalUiUrl(config);
  app.get('/failures', { schema: { summary: 'Failed launches, deletes and snapshots, with cause, step, host and attempts', response: { 200: many('failures', {}) } }, config: { policy: 'strata:ops:failures' } }, async (request) => {
    request.authorize({});
    const failures = [...(await launchFailures(instances, events, new Date())), ...(await workflowFailures(temporal))].sort(newestFirst);
    return { failures: failures.map((failure) => ({ ...failure, workflow_url: workflowUrl(uiUrl, temporal.options.namespace, failure) })) };
  });
};
