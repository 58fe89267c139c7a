// The bad-input catalogue (test/reliability/bad-input/*): requests a careless or hostile
// client sends to every service, each refused with its 4xx in the service's OpenStack error
// dialect — never a 500 — and with nothing changed: the event log's head position and every
// read-model row are the same before and after.
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComputeHarness } from '../compute-api/compute-harness.js';
import type { BadInputCase } from './bad-input/catalogue.js';
import { computeCases } from './bad-input/compute.js';
import { openBadInputFixtures, type Fixtures } from './bad-input/fixtures.js';
import { identityCases } from './bad-input/identity.js';
import { imageCases } from './bad-input/image.js';
import { opsCases } from './bad-input/ops.js';
import { snapshotState } from './bad-input/state.js';
import { volumeCases } from './bad-input/volume.js';
import { expectErrorBody } from './error-shape.js';

const catalogue: Record<string, BadInputCase[]> = { identity: identityCases, image: imageCases, compute: computeCases, volume: volumeCases, ops: opsCases };

let harness: ComputeHarness;
let close: () => Promise<void>;
let fixtures: Fixtures;
beforeAll(async () => {
  ({ harness, fixtures, close } = await openBadInputFixtures());
});
afterAll(async () => {
  await close?.();
});

async function send(testCase: BadInputCase): Promise<LightMyRequestResponse> {
  const request = testCase.request(fixtures);
  const token = testCase.as === 'none' ? {} : { 'x-auth-token': fixtures.tokens[testCase.as] };
  const json = request.json !== undefined ? { 'content-type': 'application/json' } : {};
  return harness.api.app.inject({
    method: request.method,
    url: request.url,
    headers: { ...token, ...json, ...request.headers },
    payload: request.json !== undefined ? JSON.stringify(request.json) : request.body,
  });
}

describe('the bad-input catalogue', () => {
  it('has at least 150 cases, with each service represented', () => {
    expect(Object.values(catalogue).flat().length).toBeGreaterThanOrEqual(150);
    for (const [service, cases] of Object.entries(catalogue)) expect(cases.length, service).toBeGreaterThan(0);
  });

  for (const [service, cases] of Object.entries(catalogue)) {
    describe(service, () => {
      it.each(cases.map((testCase) => [testCase.label, testCase] as const))('%s', async (_label, testCase) => {
        const before = await snapshotState(harness.api.context);
        const response = await send(testCase);
        expect(response.statusCode, response.body).toBe(testCase.status);
        const message = expectErrorBody(response, testCase.request(fixtures).url, testCase.status);
        if (testCase.message !== undefined) expect(message).toContain(testCase.message);
        const after = await snapshotState(harness.api.context);
        expect(after.head).toBe(before.head);
        expect(after.readModel).toEqual(before.readModel);
      });
    });
  }
});
