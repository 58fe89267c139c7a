// Image data into the image API (`PUT /image/v2/images/<id>/file`) from a compute host, as
// Nova's compute uploads a snapshot to Glance: the API's upload path streams it into the
// store, computes md5 and sha512, inspects the qcow2 (virtual_size, no backing file) and
// activates the image. A PUT that finds the image already active (an earlier attempt whose
// answer was lost with its worker) counts as done.
import { ApplicationFailure } from '@temporalio/common';
import { openAsBlob } from 'node:fs';
import type { KeystoneSession } from '../launch/keystone-session.js';
import type { UploadedImage } from './contract.js';

const requestTimeoutMs = 60 * 60_000;

interface ImageBody {
  status?: string;
  size?: number | null;
  checksum?: string | null;
  virtual_size?: number | null;
}

export class GlanceUploader {
  constructor(
    private readonly apiBase: string,
    private readonly session: KeystoneSession,
  ) {}

  private imageUrl(imageId: string): string {
    return `${this.apiBase}/image/v2/images/${encodeURIComponent(imageId)}`;
  }

  /** One request with the service token, asking for a fresh token once if the API refused it. */
  private async send(url: string, init: (token: string) => RequestInit): Promise<Response> {
    let response = await fetch(url, init(await this.session.token()));
    if (response.status === 401) {
      await response.body?.cancel();
      this.session.invalidate();
      response = await fetch(url, init(await this.session.token()));
    }
    return response;
  }

  async image(imageId: string): Promise<ImageBody | null> {
    const response = await this.send(this.imageUrl(imageId), (token) => ({ headers: { 'x-auth-token': token }, signal: AbortSignal.timeout(30_000) }));
    if (response.status === 404) return null;
    if (!response.ok) throw new Error(`image API answered HTTP ${response.status} for image ${imageId}`);
    return (await response.json()) as ImageBody;
  }

  async upload(imageId: string, path: string, signal: AbortSignal): Promise<UploadedImage> {
    const before = await this.image(imageId);
    if (before?.status !== 'active') {
      const body = await openAsBlob(path);
      const response = await this.send(`${this.imageUrl(imageId)}/file`, (token) => ({
        method: 'PUT',
        headers: { 'x-auth-token': token, 'content-type': 'application/octet-stream' },
        body,
        signal: AbortSignal.any([signal, AbortSignal.timeout(requestTimeoutMs)]),
      }));
      const text = await response.text();
      // Gone or refused for good (deleted meanwhile, over quota): retrying cannot help. A 409 (the image still saving from an attempt that died) may.
      if ([400, 403, 404, 410, 413].includes(response.status)) throw ApplicationFailure.nonRetryable(`image API refused the snapshot of image ${imageId} (HTTP ${response.status}): ${text}`, 'SnapshotUploadRefused');
      if (response.status !== 204) throw new Error(`image API answered HTTP ${response.status} to the snapshot upload of image ${imageId}: ${text}`);
    }
    const after = await this.image(imageId);
    if (after?.status !== 'active') throw new Error(`image ${imageId} is ${after?.status ?? 'gone'} after its upload`);
    return { size: after.size ?? 0, checksum: after.checksum ?? null, virtualSize: after.virtual_size ?? null };
  }
}
