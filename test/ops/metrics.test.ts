// GET /metrics after real requests and a launch-like event sequence (two servers launched
// from one image on one host, one deleted): the series exist, unauthenticated, with values
// that match what happened.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleCommand } from '../../application/handle-command.js';
import { requestMetadata } from '../../application/metadata.js';
import type { InstanceEvent } from '../../domain/compute/instance.js';
import { instanceDecider, instanceStream } from '../../domain/compute/instance.js';
import { waitUntil } from '../../runtime/wait.js';
import { openComputeHarness, type ComputeHarness } from '../compute-api/compute-harness.js';

type Step = Exclude<InstanceEvent, { type: 'InstanceRequested.v1' }>;
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const IMAGE_BYTES = 8192;
let harness: ComputeHarness;

/** Prometheus text format, one sample per line (comments skipped). */
function parse(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not a sample: ${line}`);
      const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((label) => [label[1]!, label[2]!]));
      return { name: match[1]!, labels, value: Number(match[3]) };
    });
}

async function scrape(): Promise<Sample[]> {
  const response = await harness.api.app.inject({ method: 'GET', url: '/metrics' });
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toContain('text/plain');
  return parse(response.body);
}

function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  return samples.find((sample) => sample.name === name && Object.entries(labels).every(([key, wanted]) => sample.labels[key] === wanted))?.value;
}

async function record(serverId: string, workflow: string, activity: string, event: Step): Promise<void> {
  const metadata = { ...requestMetadata(null, 'unused'), requestId: null, workflowId: workflow, activity };
  await handleCommand(harness.api.context.events, instanceDecider, instanceStream(serverId), { kind: 'record', event }, { metadata });
}

async function launch(image: string, name: string): Promise<string> {
  const created = await harness.compute(harness.alice, 'POST', '/servers', { json: { server: { name, imageRef: image, flavorRef: '1' } } });
  expect(created.statusCode, created.body).toBe(202);
  const id = created.json<{ server: { id: string } }>().server.id;
  const workflow = `launch-${id}`;
  await record(id, workflow, 'scheduleInstance', { type: 'InstanceScheduled.v1', data: { host: 'host-m', availabilityZone: 'nova', attempt: 1 } });
  await record(id, workflow, 'createRootDisk', { type: 'RootDiskCreated.v1', data: { path: `/hosts/host-m/instances/${id}/disk`, sizeGb: 1, baseImage: `/hosts/host-m/_base/${image}` } });
  await record(id, workflow, 'startVm', { type: 'InstanceSpawning.v1', data: { host: 'host-m' } });
  await record(id, workflow, 'waitForBoot', { type: 'InstanceBooted.v1', data: { launchedAt: new Date().toISOString() } });
  return id;
}

beforeAll(async () => {
  harness = await openComputeHarness();
  const image = await harness.activeImage(harness.admin, { visibility: 'public' }, Buffer.alloc(IMAGE_BYTES, 5));
  await launch(image, 'first');
  const second = await launch(image, 'second');
  expect((await harness.compute(harness.alice, 'DELETE', `/servers/${second}`)).statusCode).toBe(204);
  await record(second, `delete-${second}`, 'recordInstanceDeleted', { type: 'InstanceDeleted.v1', data: { terminatedAt: new Date().toISOString() } });
});
afterAll(() => harness.close());

describe('GET /metrics', () => {
  it('counts launches and deletes by outcome, with durations and step durations', async () => {
    let samples: Sample[] = [];
    // The metrics follow the log asynchronously: wait (bounded) for the last event to be seen.
    await waitUntil('delete counted', async () => value((samples = await scrape()), 'strata_operations_total', { operation: 'delete' }) === 1, { timeoutMs: 10_000 });
    expect(value(samples, 'strata_operations_total', { operation: 'launch', outcome: 'success' })).toBe(2);
    expect(value(samples, 'strata_operations_total', { operation: 'launch', outcome: 'error' })).toBeUndefined();
    expect(value(samples, 'strata_operation_duration_seconds_count', { operation: 'launch', outcome: 'success' })).toBe(2);
    const launchSeconds = value(samples, 'strata_operation_duration_seconds_sum', { operation: 'launch', outcome: 'success' })!;
    expect(launchSeconds).toBeGreaterThan(0);
    expect(launchSeconds).toBeLessThan(120);
    expect(value(samples, 'strata_operation_step_duration_seconds_count', { operation: 'launch', step: 'createRootDisk', result: 'Success' })).toBe(2);
    expect(value(samples, 'strata_operation_step_duration_seconds_count', { operation: 'delete', step: 'recordInstanceDeleted', result: 'Success' })).toBe(1);
  });

  it('infers image-cache misses (with their bytes) and hits per host', async () => {
    const samples = await scrape();
    expect(value(samples, 'strata_image_cache_requests_total', { host: 'host-m', result: 'miss' })).toBe(1);
    expect(value(samples, 'strata_image_cache_requests_total', { host: 'host-m', result: 'hit' })).toBe(1);
    expect(value(samples, 'strata_image_cache_miss_bytes_total', { host: 'host-m' })).toBe(IMAGE_BYTES);
  });

  it('reports event-store appends, the log by stream category, and projection lag', async () => {
    const samples = await scrape();
    const head = await harness.api.context.events.headPosition();
    expect(value(samples, 'strata_eventstore_head_position')).toBe(head);
    const categories = samples.filter((sample) => sample.name === 'strata_eventstore_events_total');
    expect(categories.reduce((sum, sample) => sum + sample.value, 0)).toBe(head);
    expect(value(samples, 'strata_eventstore_events_total', { category: 'instance' })).toBeGreaterThanOrEqual(10);
    expect(value(samples, 'strata_eventstore_appends_total', { outcome: 'ok' })).toBeGreaterThan(10);
    expect(value(samples, 'strata_eventstore_append_duration_seconds_count', { outcome: 'ok' })).toBe(value(samples, 'strata_eventstore_appends_total', { outcome: 'ok' }));
    const lag = value(samples, 'strata_projection_lag_events', { projection: 'instances' });
    expect(lag).toBeGreaterThanOrEqual(0);
    expect(lag).toBeLessThanOrEqual(head);
  });

  it('records API latency by route template and status, never by raw id', async () => {
    const samples = await scrape();
    expect(value(samples, 'strata_api_request_duration_seconds_count', { method: 'POST', route: '/compute/v2.1/servers', status_code: '202' })).toBe(2);
    expect(value(samples, 'strata_api_request_duration_seconds_count', { method: 'DELETE', route: '/compute/v2.1/servers/:serverId', status_code: '204' })).toBe(1);
    expect(samples.some((sample) => sample.name.startsWith('strata_api_request') && /[0-9a-f]{8}-[0-9a-f]{4}/.test(sample.labels.route ?? ''))).toBe(false);
    expect(value(samples, 'strata_process_resident_memory_bytes')).toBeGreaterThan(0);
  });
});
