// Suite `images`: upload and download of a 1 GiB image through the real API over
// loopback (curl as the client, in its own process), next to the same run's baselines
// (bench/images-baselines.ts), and GET /v2/images latency with 10,000 images.
import { execa } from 'execa';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../api/app.js';
import { openApiContext, type ApiContext } from '../api/context.js';
import { loadAuthorization } from '../api/policy.js';
import { createServices, type ApiServices } from '../api/services.js';
import { requestMetadata } from '../application/metadata.js';
import { validateConfig } from '../config/load.js';
import { DEFAULT_ATTRIBUTES } from '../domain/image/creation.js';
import { imageStream } from '../domain/image/events.js';
import { bareServeRate, hashRate, megabytesPerSecond, timed, writeRandomFile, writeRate } from './images-baselines.js';
import type { Figure } from './run.js';

const IMAGE_BYTES = 1024 ** 3;
const ROUNDS = 3;
const LIST_IMAGES = 10_000;
const LIST_PROJECTS = 20;
const LIST_SAMPLES = 500;
const SEED_CONCURRENCY = 32;
const ADMIN_PASSWORD = 'bench-admin-password';

interface RunningApi {
  url: string;
  app: FastifyInstance;
  context: ApiContext;
  services: ApiServices;
}

async function startApi(dataDir: string): Promise<RunningApi> {
  // Nothing here starts a workflow: the lazy Temporal connection is never used.
  const config = validateConfig({ dataDir, temporal: { address: '127.0.0.1:1' }, identity: { adminPassword: ADMIN_PASSWORD } }, () => 'bench');
  const context = await openApiContext(config);
  const services = await createServices(context, loadAuthorization(config, () => undefined));
  const app = await buildApp({ readiness: context.readiness, services });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url, app, context, services };
}

async function login(api: RunningApi, user: string, password: string, project: string): Promise<string> {
  const response = await fetch(`${api.url}/identity/v3/auth/tokens?nocatalog`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { name: user, domain: { id: 'default' }, password } } }, scope: { project: { name: project, domain: { id: 'default' } } } } }),
  });
  return response.headers.get('x-subject-token') ?? '';
}

async function createImage(api: RunningApi, token: string): Promise<string> {
  const response = await fetch(`${api.url}/image/v2/images`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-auth-token': token },
    body: JSON.stringify({ name: 'bench', disk_format: 'raw', container_format: 'bare' }),
  });
  return ((await response.json()) as { id: string }).id;
}

/**
 * Each round measures the baselines and the API on the same bytes, one after the other, so
 * a busy moment of the machine (others share it) hits both; every writer fsyncs, so no
 * measurement pays for the previous one's writeback. The best round counts.
 */
async function transferFigures(api: RunningApi, token: string, dir: string): Promise<Figure[]> {
  const source = join(dir, 'source.raw');
  await writeRandomFile(source, IMAGE_BYTES);
  const rates = { upload: [] as number[], download: [] as number[], write: [] as number[], hash: [] as number[], bare: [] as number[] };
  /** CPU of this process (the API and its md5 thread; curl runs apart) per MB uploaded: steadier than MB/s on a shared machine. */
  const uploadCpuPerMb: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const copy = join(dir, 'copy.raw');
    rates.write.push(await writeRate(source, copy));
    rmSync(copy);
    rates.hash.push(await hashRate(source));
    const imageId = await createImage(api, token);
    const url = `${api.url}/image/v2/images/${imageId}/file`;
    const auth = ['-H', `X-Auth-Token: ${token}`];
    const cpuBefore = process.cpuUsage();
    rates.upload.push(megabytesPerSecond(IMAGE_BYTES, await timed(() => execa('curl', ['-sS', '-f', '-X', 'PUT', '-T', source, '-H', 'Content-Type: application/octet-stream', '-H', 'Expect:', ...auth, url]))));
    const cpu = process.cpuUsage(cpuBefore);
    uploadCpuPerMb.push((cpu.user + cpu.system) / (IMAGE_BYTES / 1e6));
    rates.download.push(megabytesPerSecond(IMAGE_BYTES, await timed(() => execa('curl', ['-sS', '-f', '-o', '/dev/null', ...auth, url]))));
    rates.bare.push(await bareServeRate(api.services.image.store.path('images', api.services.image.queries.image(imageId)?.location ?? '')));
  }
  const [upload, download, write, hash, bare] = [rates.upload, rates.download, rates.write, rates.hash, rates.bare].map((values) => Math.max(...values)) as [number, number, number, number, number];
  const slower = Math.min(write, hash);
  return [
    { name: 'upload 1 GiB (PUT /file, curl over loopback)', value: upload, unit: 'MB/s', baseline: slower, ratio: upload / slower, durability: 'power loss (fsync, rename, event appended)', note: `goal ≥ 85% of the slower of (a) and (b); ${Math.min(...uploadCpuPerMb).toFixed(0)} µs CPU per MB in the API process` },
    { name: '(a) write + fsync the same bytes, same disk', value: write, unit: 'MB/s', durability: 'power loss' },
    { name: '(b) md5 + sha512 of the same bytes, one pass', value: hash, unit: 'MB/s', durability: 'n/a' },
    { name: 'download 1 GiB (GET /file, curl over loopback)', value: download, unit: 'MB/s', baseline: bare, ratio: download / bare, durability: 'n/a', note: 'goal ≥ 80% of (c)' },
    { name: '(c) bare HTTP server streaming the file', value: bare, unit: 'MB/s', durability: 'n/a' },
  ];
}

/** 10,000 images over 20 projects, a quarter of them public, appended straight to the log. */
async function seedImages(api: RunningApi, projects: string[]): Promise<void> {
  const metadata = requestMetadata(null, 'bench-seed');
  const visibilities = ['private', 'shared', 'public', 'community'] as const;
  let next = 0;
  const writer = async () => {
    for (let n = next++; n < LIST_IMAGES; n = next++) {
      const imageId = randomUUID();
      const data = {
        imageId,
        owner: projects[n % projects.length] ?? '',
        ...DEFAULT_ATTRIBUTES,
        name: `image-${String(n).padStart(5, '0')}`,
        visibility: visibilities[n % visibilities.length] ?? 'private',
        disk_format: 'qcow2' as const,
        container_format: 'bare' as const,
        tags: [`batch-${n % 10}`, 'bench'],
        properties: { os_distro: n % 3 === 0 ? 'ubuntu' : 'cirros', os_version: String(n % 7), hw_disk_bus: 'virtio' },
      };
      await api.context.events.append(imageStream(imageId), [{ id: randomUUID(), type: 'ImageCreated.v1', data, metadata }], { expected: 'no_stream' });
    }
  };
  await Promise.all(Array.from({ length: SEED_CONCURRENCY }, writer));
  await api.context.projections.waitFor(await api.context.events.headPosition(), 300_000);
}

async function latencies(api: RunningApi, token: string, path: string): Promise<{ p50: number; p99: number }> {
  const samples: number[] = [];
  for (let n = 0; n < LIST_SAMPLES; n++) {
    const started = performance.now();
    const response = await fetch(`${api.url}/image${path}`, { headers: { 'x-auth-token': token } });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`GET ${path}: ${response.status}`);
    samples.push(performance.now() - started);
  }
  samples.sort((left, right) => left - right);
  const at = (fraction: number) => samples[Math.min(samples.length - 1, Math.floor(fraction * samples.length))] ?? 0;
  return { p50: at(0.5), p99: at(0.99) };
}

async function listFigures(api: RunningApi, adminToken: string): Promise<Figure[]> {
  const { directory, queries } = api.services.identity;
  const metadata = requestMetadata(null, 'bench-setup');
  const projects: string[] = [];
  for (let n = 0; n < LIST_PROJECTS; n++) projects.push(await directory.createProject({ name: `bench-${n}`, description: '', enabled: true }, metadata));
  const userId = await directory.createUser({ name: 'bench-user', password: 'bench-user-password', enabled: true, email: null, defaultProjectId: projects[0] ?? null }, metadata);
  await directory.grantRole({ userId, projectId: projects[0] ?? '', roleId: queries.role({ name: 'member' })?.id ?? '' }, metadata);
  await seedImages(api, projects);
  const member = await login(api, 'bench-user', 'bench-user-password', 'bench-0');
  const cases = [
    ['GET /v2/images (member, default page of 25)', member, '/v2/images'],
    ['GET /v2/images (admin, all 10,000 visible)', adminToken, '/v2/images'],
    ['GET /v2/images?os_distro=ubuntu&tag=bench&sort=name:asc (member)', member, '/v2/images?os_distro=ubuntu&tag=bench&sort=name:asc'],
  ] as const;
  const figures: Figure[] = [];
  for (const [name, token, path] of cases) {
    await latencies(api, token, path);
    const { p50, p99 } = await latencies(api, token, path);
    figures.push({ name: `${name} p50`, value: p50, unit: 'ms', durability: 'n/a' });
    figures.push({ name: `${name} p99`, value: p99, unit: 'ms', durability: 'n/a', note: 'goal ≤ 20 ms' });
  }
  return figures;
}

export async function run(): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'strata-bench-images-'));
  const api = await startApi(join(dir, 'data'));
  try {
    const adminToken = await login(api, 'admin', ADMIN_PASSWORD, 'admin');
    return [...(await transferFigures(api, adminToken, dir)), ...(await listFigures(api, adminToken))];
  } finally {
    await api.app.close();
    await api.context.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
