// One operation each of the workload's kinds, driven over HTTP as a client would, through
// API restarts: a create whose answer is lost is looked up by its unique name before it
// is sent again, so a retry never makes a second resource.
import { createHash, randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiUnreachableError, type ChaosClient } from './client.js';

export type Resource = 'server' | 'image' | 'volume';

export type OperationKind = 'launch' | 'launch-delete' | 'image-upload' | 'image-upload-delete' | 'volume-create-delete' | 'snapshot' | 'volume-attach';

export interface OperationRecord {
  kind: OperationKind;
  name: string;
  id?: string;
  /** What the workload saw last; the invariants re-check every resource after quiesce. */
  outcome: string;
  /** For image uploads: the bytes' digests the store must still give back. */
  sha512?: string;
  size?: number;
  /** Resources whose DELETE the API accepted: after quiesce each must be gone. */
  deleted?: Array<{ resource: Resource; id: string }>;
  seconds?: number;
}

const COMPUTE = '/compute/v2.1';
const POLL_MS = 1_000;

interface Named {
  id: string;
  name: string | null;
}

/** Sends a create; if the answer is lost, finds the resource by name or sends it again. */
export async function createOnce(client: ChaosClient, send: () => Promise<string>, find: () => Promise<string | undefined>): Promise<string> {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    try {
      return await send();
    } catch (error) {
      if (!(error instanceof ApiUnreachableError)) throw error;
      const found = await find();
      if (found) return found;
    }
    await sleep(POLL_MS);
  }
  throw new Error(`create did not go through after 20 attempts against ${client.apiUrl}`);
}

export function expect2xx(response: { status: number; text: string }, what: string): void {
  if (response.status < 200 || response.status > 299) throw new Error(`${what}: ${response.status} ${response.text.slice(0, 300)}`);
}

async function serverByName(client: ChaosClient, name: string): Promise<string | undefined> {
  const response = await client.call('GET', `${COMPUTE}/servers?all_tenants=1&name=${encodeURIComponent(`^${name}$`)}`);
  return response.json<{ servers: Named[] }>().servers.find((server) => server.name === name)?.id;
}

export const resourcePath = (client: ChaosClient, resource: Resource, id: string): string =>
  ({ server: `${COMPUTE}/servers/${id}`, image: `/image/v2/images/${id}`, volume: `/volume/v3/${client.projectId}/volumes/${id}` })[resource];

/** DELETE (404 counts: an earlier, lost answer already deleted it); records the id to check after quiesce. */
async function sendDelete(client: ChaosClient, record: OperationRecord, resource: Resource, id: string): Promise<void> {
  const response = await client.call('DELETE', resourcePath(client, resource, id));
  if (response.status !== 404) expect2xx(response, `delete ${resource} ${id}`);
  record.deleted = [...(record.deleted ?? []), { resource, id }];
}

/** Polls until `settled` says the status is final or the deadline (or the client's drain) passes: then the last status. */
export async function pollStatus(client: ChaosClient, read: () => Promise<string>, settled: (status: string) => boolean, timeoutMs: number): Promise<string> {
  const deadline = Math.min(Date.now() + timeoutMs, client.stopPollingAt);
  let status = await read();
  while (!settled(status) && Date.now() < deadline) {
    await sleep(POLL_MS);
    status = await read();
  }
  return status;
}

export const serverStatus = (client: ChaosClient, id: string) => async () => {
  const response = await client.call('GET', `${COMPUTE}/servers/${id}`);
  if (response.status === 404) return 'GONE';
  expect2xx(response, `show server ${id}`);
  return response.json<{ server: { status: string } }>().server.status;
};

export interface LaunchSpec {
  imageId: string;
  flavorId: string;
  timeoutMs: number;
}

/** Creates the server (once, whatever the API does) and waits until it leaves BUILD. */
export async function createServer(client: ChaosClient, record: OperationRecord, spec: LaunchSpec): Promise<string> {
  const server = { name: record.name, imageRef: spec.imageId, flavorRef: spec.flavorId, networks: 'none' };
  const id = await createOnce(
    client,
    async () => {
      const response = await client.call('POST', `${COMPUTE}/servers`, { body: { server }, retry: false });
      expect2xx(response, `create server ${record.name}`);
      return response.json<{ server: { id: string } }>().server.id;
    },
    () => serverByName(client, record.name),
  );
  record.id = id;
  record.outcome = await pollStatus(client, serverStatus(client, id), (status) => status !== 'BUILD', spec.timeoutMs);
  return id;
}

export async function deleteServer(client: ChaosClient, record: OperationRecord, id: string, timeoutMs: number): Promise<void> {
  await sendDelete(client, record, 'server', id);
  record.outcome = await pollStatus(client, serverStatus(client, id), (status) => status === 'GONE' || status === 'DELETED', timeoutMs);
}

export async function launch(client: ChaosClient, record: OperationRecord, spec: LaunchSpec, thenDelete: boolean): Promise<void> {
  const id = await createServer(client, record, spec);
  if (thenDelete) await deleteServer(client, record, id, spec.timeoutMs);
}

export const imageStatus = (client: ChaosClient, id: string) => async () => {
  const response = await client.call('GET', `/image/v2/images/${id}`);
  if (response.status === 404) return 'gone';
  expect2xx(response, `show image ${id}`);
  return response.json<{ status: string }>().status;
};

/** Random bytes with known digests: uploaded (retried while the image is queued), optionally deleted. */
export async function uploadImage(client: ChaosClient, record: OperationRecord, maxBytes: number, thenDelete: boolean): Promise<void> {
  const bytes = randomBytes(1024 + Math.floor(Math.random() * maxBytes));
  record.size = bytes.length;
  record.sha512 = createHash('sha512').update(bytes).digest('hex');
  record.id = await createOnce(
    client,
    async () => {
      const body = { name: record.name, disk_format: 'raw', container_format: 'bare' };
      const response = await client.call('POST', '/image/v2/images', { body, retry: false });
      expect2xx(response, `create image ${record.name}`);
      return response.json<Named>().id;
    },
    async () => (await client.call('GET', `/image/v2/images?name=${encodeURIComponent(record.name)}`)).json<{ images: Named[] }>().images[0]?.id,
  );
  const id = record.id;
  const read = imageStatus(client, id);
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const status = await pollStatus(client, read, (current) => current !== 'saving', 60_000);
    record.outcome = status;
    if (status !== 'queued') break;
    try {
      const response = await client.call('PUT', `/image/v2/images/${id}/file`, { bytes, retry: false });
      // 409: another attempt's upload is (or was) in progress; the status poll sorts it out.
      if (response.status !== 409) expect2xx(response, `upload image ${id}`);
    } catch (error) {
      if (!(error instanceof ApiUnreachableError)) throw error;
    }
  }
  if (!thenDelete || record.outcome !== 'active') return;
  await sendDelete(client, record, 'image', id);
  record.outcome = await read();
}

export const volumeStatus = (client: ChaosClient, id: string) => async () => {
  const response = await client.call('GET', `/volume/v3/${client.projectId}/volumes/${id}`);
  if (response.status === 404) return 'gone';
  expect2xx(response, `show volume ${id}`);
  return response.json<{ volume: { status: string } }>().volume.status;
};

const volumesPath = (client: ChaosClient) => `/volume/v3/${client.projectId}/volumes`;

/** Creates the volume (once) and waits until it leaves `creating`. */
export async function createVolume(client: ChaosClient, record: OperationRecord, name: string, timeoutMs: number): Promise<{ id: string; status: string }> {
  const base = volumesPath(client);
  const id = await createOnce(
    client,
    async () => {
      const response = await client.call('POST', base, { body: { volume: { size: 1, name } }, retry: false });
      expect2xx(response, `create volume ${name}`);
      return response.json<{ volume: Named }>().volume.id;
    },
    async () => (await client.call('GET', `${base}/detail?all_tenants=1`)).json<{ volumes: Named[] }>().volumes.find((volume) => volume.name === name)?.id,
  );
  return { id, status: await pollStatus(client, volumeStatus(client, id), (status) => status !== 'creating', timeoutMs) };
}

export async function deleteVolume(client: ChaosClient, record: OperationRecord, id: string, timeoutMs: number): Promise<string> {
  await sendDelete(client, record, 'volume', id);
  return pollStatus(client, volumeStatus(client, id), (status) => status === 'gone', timeoutMs);
}

export async function createAndDeleteVolume(client: ChaosClient, record: OperationRecord, timeoutMs: number): Promise<void> {
  const volume = await createVolume(client, record, record.name, timeoutMs);
  record.id = volume.id;
  record.outcome = volume.status;
  if (volume.status !== 'available' && volume.status !== 'error') return;
  record.outcome = await deleteVolume(client, record, volume.id, timeoutMs);
}
