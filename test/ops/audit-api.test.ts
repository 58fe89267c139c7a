// GET /ops/v1/audit/{stream}: a resource's whole chained history with actors, for admins
// and the auditor role; nobody else, no identity streams, 404 for a stream with no events.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestMetadata } from '../../application/metadata.js';
import { GENESIS_HASH, eventHash } from '../../eventstore/hash-chain.js';
import type { RecordedEvent } from '../../eventstore/port.js';
import { createImage, openImageHarness, uploadData, type ImageHarness } from '../images/support/image-harness.js';

let harness: ImageHarness;
let auditorToken: string;

beforeAll(async () => {
  harness = await openImageHarness();
  const { directory, queries } = harness.api.services.identity;
  const metadata = requestMetadata(null, 'audit-test-setup');
  const roleId = await directory.createRole('auditor', metadata);
  const projectId = queries.project({ name: 'project-a' })!.id;
  const userId = await directory.createUser({ name: 'audrey', password: 'audrey-password', enabled: true, email: null, defaultProjectId: projectId }, metadata);
  await directory.grantRole({ userId, projectId, roleId }, metadata);
  auditorToken = await harness.api.login('audrey', 'audrey-password', 'project-a');
});
afterAll(() => harness.close());

const audit = (token: string, stream: string) => harness.api.app.inject({ method: 'GET', url: `/ops/v1/audit/${encodeURIComponent(stream)}`, headers: { 'x-auth-token': token } });

describe('GET /ops/v1/audit/{stream}', () => {
  it("returns an image's whole chained history with who did each step", async () => {
    const { id } = await createImage(harness.alice, { name: 'audited' });
    expect((await uploadData(harness.alice, id, Buffer.alloc(2048, 7))).statusCode).toBe(204);
    const response = await audit(harness.admin.token, `image-${id}`);
    expect(response.statusCode).toBe(200);
    const body = response.json<{ stream: string; events: RecordedEvent[] }>();
    expect(body.stream).toBe(`image-${id}`);
    expect(body.events.length).toBeGreaterThanOrEqual(2);
    expect(body.events.map((event) => event.revision)).toEqual(body.events.map((_, index) => index));
    expect(body.events[0]!.type).toMatch(/^Image\w+\.v\d+$/);
    expect(body.events[0]!.metadata.actor?.projectId).toBe(harness.alice.projectId);
    expect(body.events[0]!.metadata.requestId).toMatch(/^req-/);
    // The answer is the chain itself: every hash recomputes from its predecessor.
    let prevHash = GENESIS_HASH;
    for (const event of body.events) {
      expect(event.prevHash).toBe(prevHash);
      expect(eventHash(prevHash, { ...event, stream: body.stream })).toBe(event.hash);
      prevHash = event.hash;
    }
  });

  it('lets the auditor role read and refuses project members', async () => {
    const { id } = await createImage(harness.bob);
    expect((await audit(auditorToken, `image-${id}`)).statusCode).toBe(200);
    const refused = await audit(harness.bob.token, `image-${id}`);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ error: { code: 403 } });
  });

  it('answers 404 for a stream with no events and 400 for names outside the resource streams', async () => {
    const missing = await audit(harness.admin.token, 'instance-00000000-0000-4000-8000-000000000000');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error: { code: 404, message: expect.stringContaining('instance-00000000') } });
    for (const stream of ['domain-default', 'token-abc', 'image-', '../etc', 'image-a b']) {
      const refused = await audit(harness.admin.token, stream);
      expect(refused.statusCode, stream).toBe(400);
    }
  });

  it('needs a token', async () => {
    expect((await harness.api.app.inject({ method: 'GET', url: '/ops/v1/audit/flavors' })).statusCode).toBe(401);
  });
});
