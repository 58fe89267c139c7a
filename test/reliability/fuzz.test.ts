// Property-based fuzzing from the OpenAPI document at /docs/json: requests to every
// documented operation, with valid-shaped and mutated bodies, parameters and queries, sent
// with a real admin token, a real member token, or none. No answer may be a 5xx; a 4xx must
// be the service's OpenStack error body; a 2xx must match the schema documented for it.
// Budget: STRATA_FUZZ_RUNS requests (default 300); the seed is printed, and
// STRATA_FUZZ_SEED replays a run.
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ComputeHarness } from '../compute-api/compute-harness.js';
import { openBadInputFixtures, type Fixtures } from './bad-input/fixtures.js';
import { expectErrorBody } from './error-shape.js';
import { requestsFor, type FuzzRequest } from './fuzz/arbitraries.js';
import { operationsOf, type JsonSchema, type OpenApiDocument, type Operation } from './fuzz/openapi.js';

const RUNS = Number(process.env.STRATA_FUZZ_RUNS ?? 300);
const SEED = Number(process.env.STRATA_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));

let harness: ComputeHarness;
let close: () => Promise<void>;
let fixtures: Fixtures;
let operations: Operation[];
beforeAll(async () => {
  ({ harness, fixtures, close } = await openBadInputFixtures());
  const document = await harness.api.app.inject({ method: 'GET', url: '/docs/json' });
  operations = operationsOf(document.json<OpenApiDocument>()).filter((operation) => !operation.path.startsWith('/docs'));
});
afterAll(async () => {
  await close?.();
});

/**
 * Ids of real resources for path parameters. The projects and users whose tokens the run
 * sends are kept out of identity writes (deleting or disabling them would turn the rest of
 * the run into 401s); the admin's project is offered to the volume routes, whose path must
 * name the caller's project.
 */
function idsFor(operation: Operation): string[] {
  const resources = [fixtures.privateImage, fixtures.publicImage, fixtures.guardedImage, fixtures.queuedImage, fixtures.aliceServer, fixtures.aliceVolume, fixtures.aliceGroup, fixtures.bobProject, fixtures.memberRole, '1', 'default'];
  if (operation.path.startsWith('/volume')) return [...resources, fixtures.aliceProject, fixtures.adminProject];
  const identityWrite = operation.path.startsWith('/identity') && operation.method !== 'GET';
  return identityWrite ? resources : [...resources, fixtures.aliceProject, fixtures.aliceUser];
}

const validators = new Map<JsonSchema, z.ZodType>();
function validatorOf(schema: JsonSchema): z.ZodType {
  let validator = validators.get(schema);
  if (!validator) validators.set(schema, (validator = z.fromJSONSchema(schema, { defaultTarget: 'openapi-3.0' })));
  return validator;
}

/** Sends `request` and checks its answer; returns the status. */
async function check(app: FastifyInstance, operation: Operation, request: FuzzRequest): Promise<number> {
  const response = await app.inject({ method: request.method as 'GET', url: request.url, headers: request.headers, ...(request.payload === undefined ? {} : { payload: request.payload }) });
  const label = `${request.method} ${request.url} → ${response.statusCode}`;
  expect(response.statusCode, `${label}: ${response.body.slice(0, 500)}`).toBeLessThan(500);
  if (response.statusCode >= 400) {
    expectErrorBody(response, request.url);
    return response.statusCode;
  }
  // A path value of `..` is resolved away before routing: another route answered.
  const path = request.url.split('?')[0]!;
  const sameRoute = new URL(path, 'http://strata').pathname === path;
  const schema = operation.responses[String(response.statusCode)];
  if (schema && sameRoute && response.body.length > 0 && String(response.headers['content-type']).startsWith('application/json')) {
    const result = validatorOf(schema).safeParse(response.json());
    expect(result.success, `${label}: ${result.error?.message ?? ''}\n${response.body.slice(0, 500)}`).toBe(true);
  }
  return response.statusCode;
}

describe('fuzzing the documented API', () => {
  it('documents enough operations to fuzz', () => {
    expect(operations.length).toBeGreaterThan(50);
  });

  it(`answers ${RUNS} generated requests without a 5xx, each in its documented shape (seed ${SEED})`, { timeout: 600_000 }, async () => {
    console.log(`fuzz: ${RUNS} runs, seed ${SEED} (STRATA_FUZZ_SEED=${SEED} replays)`);
    const token = fc.constantFrom<string | null>(fixtures.tokens.admin, fixtures.tokens.alice, fixtures.tokens.alice, null);
    const cases = fc.oneof(...operations.map((operation) => requestsFor(operation, idsFor(operation), token).map((request) => ({ operation, request }))));
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(cases, async ({ operation, request }) => {
        const status = await check(harness.api.app, operation, request);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    console.log(`fuzz: answers by status ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}`);
    // The generator must get past validation and authorization, not only be refused.
    expect([...statuses].filter(([status]) => status < 300).reduce((sum, [, count]) => sum + count, 0)).toBeGreaterThan(0);
  });
});
