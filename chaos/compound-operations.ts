// Operations that need a running server first: snapshot it into an image, or attach a
// fresh volume over iSCSI; each ends by deleting what it made
// (a snapshot image is kept: it must end active like any image).
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiUnreachableError, type ChaosClient } from './client.js';
import { createOnce, createServer, createVolume, deleteServer, deleteVolume, expect2xx, imageStatus, pollStatus, volumeStatus, type LaunchSpec, type OperationRecord } from './operations.js';

const RETRY_PAUSE_MS = 2_000;

/** Sends an action until the API takes it; a 409 (the server or volume is busy) is retried too. */
async function until2xx(client: ChaosClient, method: string, path: string, body: unknown, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await client.call(method, path, { body });
    if ((response.status >= 200 && response.status < 300) || Date.now() > deadline) return expect2xx(response, `${method} ${path}`);
    if (response.status !== 409) expect2xx(response, `${method} ${path}`);
    await sleep(RETRY_PAUSE_MS);
  }
}

export async function snapshotServer(client: ChaosClient, record: OperationRecord, spec: LaunchSpec): Promise<void> {
  const serverId = await createServer(client, record, spec);
  if (record.outcome === 'ACTIVE') {
    const name = `${record.name}-image`;
    const imageId = await createOnce(
      client,
      async () => {
        const response = await client.call('POST', `/compute/v2.1/servers/${serverId}/action`, { body: { createImage: { name } }, retry: false, microversion: '2.45' });
        expect2xx(response, `snapshot ${serverId}`);
        return response.json<{ image_id: string }>().image_id;
      },
      async () => (await client.call('GET', `/image/v2/images?name=${encodeURIComponent(name)}`)).json<{ images: Array<{ id: string }> }>().images[0]?.id,
    );
    record.outcome = `snapshot ${await pollStatus(client, imageStatus(client, imageId), (status) => !['queued', 'saving'].includes(status), spec.timeoutMs)}`;
  }
  await deleteServer(client, record, serverId, spec.timeoutMs);
}

/**
 * Attaches a fresh volume, then deletes the server, which releases the volume (Nova keeps
 * volumes on delete). No detach on its own: the BIOS test guest never acknowledges a
 * hot-unplug, so a detach would only time out and be aborted.
 */
export async function attachVolume(client: ChaosClient, record: OperationRecord, spec: LaunchSpec): Promise<void> {
  const serverId = await createServer(client, record, spec);
  const volume = await createVolume(client, record, `${record.name}-volume`, spec.timeoutMs);
  const volumeState = volumeStatus(client, volume.id);
  if (record.outcome === 'ACTIVE' && volume.status === 'available') {
    try {
      await until2xx(client, 'POST', `/compute/v2.1/servers/${serverId}/os-volume_attachments`, { volumeAttachment: { volumeId: volume.id } }, spec.timeoutMs);
    } catch (error) {
      // A lost answer: the attach may have gone through; the volume's status says.
      if (!(error instanceof ApiUnreachableError)) throw error;
    }
    record.outcome = `attach ${await pollStatus(client, volumeState, (status) => !['available', 'attaching', 'reserved'].includes(status), spec.timeoutMs)}`;
  }
  await deleteServer(client, record, serverId, spec.timeoutMs);
  const released = await pollStatus(client, volumeState, (status) => !['in-use', 'detaching', 'attaching'].includes(status), spec.timeoutMs);
  record.outcome += `, released ${released}`;
  await deleteVolume(client, record, volume.id, spec.timeoutMs);
}
