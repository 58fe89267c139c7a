// The bad-input catalogue: requests a careless or hostile client sends, each answered
// with the right 4xx in Glance's error shape (never a 500), and nothing changed: the
// image's folded state, its read-model view and (except for failed uploads, which record
// start and failure) the event log are the same afterwards.
import { execa } from 'execa';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fold } from '../../../domain/decider.js';
import type { ImageEvent } from '../../../domain/image/events.js';
import { imageStream } from '../../../domain/image/events.js';
import { imageDecider } from '../../../domain/image/image.js';
import { createImage, openImageHarness, patchImage, uploadData, type ImageHarness, type Session } from '../support/image-harness.js';
import { badInputCases, type Fixtures } from './bad-input-cases.js';

const SIZE_CAP = 512 * 1024;

let h: ImageHarness;
let fixtures: Fixtures;

async function qcow2WithBackingFile(): Promise<Buffer> {
  const dir = mkdtempSync(join(tmpdir(), 'strata-bad-'));
  await execa('qemu-img', ['create', '-q', '-f', 'raw', join(dir, 'base.raw'), '1M']);
  await execa('qemu-img', ['create', '-q', '-f', 'qcow2', '-b', join(dir, 'base.raw'), '-F', 'raw', join(dir, 'overlay.qcow2'), '1M']);
  return readFileSync(join(dir, 'overlay.qcow2'));
}

async function activeImage(session: Session, body: Record<string, unknown> = {}): Promise<string> {
  const { id } = await createImage(session, body);
  expect((await uploadData(session, id, Buffer.alloc(1024, 7))).statusCode).toBe(204);
  return id;
}

beforeAll(async () => {
  h = await openImageHarness({ images: { imageSizeCapBytes: SIZE_CAP } });
  const deactivated = await activeImage(h.admin, { name: 'deactivated', visibility: 'public' });
  expect((await h.admin.call('POST', `/v2/images/${deactivated}/actions/deactivate`)).statusCode).toBe(204);
  const protectedImage = await activeImage(h.alice, { name: 'protected', protected: true });
  const active = await activeImage(h.alice, { name: 'active', tags: ['keep'] });
  expect((await patchImage(h.alice, active, [{ op: 'add', path: '/os_distro', value: 'cirros' }])).statusCode).toBe(200);
  fixtures = {
    active,
    protectedImage,
    deactivated,
    queuedQcow2: (await createImage(h.alice, { name: 'queued', disk_format: 'qcow2' })).id,
    queuedRaw: (await createImage(h.alice, { name: 'queued-raw' })).id,
    noFormats: (await createImage(h.alice, { name: 'no-formats', disk_format: null, container_format: null })).id,
    privateImage: (await createImage(h.alice, { name: 'private', visibility: 'private' })).id,
    publicImage: await activeImage(h.admin, { name: 'public', visibility: 'public' }),
    backingFile: await qcow2WithBackingFile(),
    aliceProject: h.alice.projectId,
    bobProject: h.bob.projectId,
  };
});
afterAll(async () => {
  await h.close();
});

async function snapshot(imageId: string) {
  const events = await h.api.context.events.readStream(imageStream(imageId));
  const state = fold(imageDecider, events.map((event) => ({ type: event.type, data: event.data }) as ImageEvent));
  const { updated_at: _updated, ...view } = h.api.services.image.queries.image(imageId) ?? {};
  return { state: JSON.stringify(state, (_key, value: unknown) => (value instanceof Map ? [...value] : value)), view, head: await h.api.context.events.headPosition() };
}

describe('bad input is refused, in Glance\'s shape, and changes nothing', () => {
  it('has at least 40 cases', () => {
    expect(badInputCases.length).toBeGreaterThanOrEqual(40);
  });

  it.each(badInputCases.map((testCase) => [testCase.label, testCase] as const))('%s', async (_label, testCase) => {
    const session = { admin: h.admin, alice: h.alice, bob: h.bob }[testCase.as];
    const touched = testCase.image?.(fixtures) ?? fixtures.active;
    const before = await snapshot(touched);
    const response = await testCase.send(session, fixtures);
    expect(response.statusCode, response.body).toBe(testCase.status);
    const body = response.json<{ code: string; title: string; message: string }>();
    expect(body.code).toMatch(new RegExp(`^${testCase.status} `));
    expect(body.title.length).toBeGreaterThan(0);
    expect(typeof body.message).toBe('string');
    for (const [name, value] of Object.entries(testCase.headers ?? {})) expect(response.headers[name]).toBe(value);
    const after = await snapshot(touched);
    expect(after.state).toBe(before.state);
    expect(after.view).toEqual(before.view);
    if (!testCase.recordsFailedUpload) expect(after.head).toBe(before.head);
  });
});
