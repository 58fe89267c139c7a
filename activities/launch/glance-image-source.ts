// Image bytes over the Glance API (`GET /image/v2/images/<id>/file`), resuming with an
// HTTP Range request. A server that ignores the range answers 200 with the whole image,
// and the download starts over from byte 0.
import type { IncomingMessage } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { ImageSource } from './image-source.js';
import type { KeystoneSession } from './keystone-session.js';

/**
 * No byte for this long means the connection is dead: fail, and the retry resumes.
 * Shorter than the launch workflow's 30 s heartbeat timeout, so a stalled download
 * fails as itself rather than as a silent worker.
 */
const idleTimeoutMs = 20_000;

function get(url: URL, headers: Record<string, string>): Promise<IncomingMessage> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(url, { headers, timeout: idleTimeoutMs }, resolve);
    request.on('timeout', () => request.destroy(new Error(`no answer from ${url.host} within ${idleTimeoutMs} ms`)));
    request.on('error', reject);
    request.end();
  });
}

export function glanceImageSource(apiBase: string, session: KeystoneSession): ImageSource {
  return {
    async open(imageId, offset) {
      const url = new URL(`${apiBase}/image/v2/images/${encodeURIComponent(imageId)}/file`);
      const headers = (token: string) => ({ 'x-auth-token': token, ...(offset > 0 ? { range: `bytes=${offset}-` } : {}) });
      let response = await get(url, headers(await session.token()));
      if (response.statusCode === 401) {
        response.resume();
        session.invalidate();
        response = await get(url, headers(await session.token()));
      }
      const status = response.statusCode ?? 0;
      if (status === 200 || status === 206) {
        // Idle sockets during the body are caught by the request's timeout as well.
        return { stream: response, offset: status === 206 ? offset : 0, origin: `Glance API ${url.href}` };
      }
      response.resume();
      // No such image, or an image without data: this source does not have it.
      if (status === 404 || status === 204) return null;
      throw new Error(`Glance API ${url.href} answered HTTP ${status}`);
    },
  };
}
