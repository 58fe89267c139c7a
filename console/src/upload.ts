// Image upload in two Glance calls: create the record (queued), then PUT its bytes with
// XMLHttpRequest — fetch() reports no upload progress, XHR's upload events do.
import type { Api } from './api';
import { ApiError, errorMessageOf } from './errors';
import type { Image } from './resources';

export interface ImageDraft {
  name: string;
  diskFormat: string;
  visibility: string;
  properties: Record<string, string>;
}

export async function createImage(api: Api, draft: ImageDraft): Promise<Image> {
  return api.request<Image>('POST', '/image/v2/images', {
    ...draft.properties,
    name: draft.name,
    disk_format: draft.diskFormat,
    container_format: 'bare',
    visibility: draft.visibility,
  });
}

/** Sends `file` as the image's data; `onProgress` gets (bytes sent, total). */
export function uploadImageData(api: Api, imageId: string, file: Blob, onProgress: (sent: number, total: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('PUT', `/image/v2/images/${imageId}/file`);
    request.setRequestHeader('x-auth-token', api.session.token);
    request.setRequestHeader('content-type', 'application/octet-stream');
    request.upload.addEventListener('progress', (event) => onProgress(event.loaded, event.lengthComputable ? event.total : file.size));
    request.addEventListener('load', () => {
      if (request.status === 204) resolve();
      else reject(new ApiError(request.status, errorMessageOf(request.status, request.responseText)));
    });
    request.addEventListener('error', () => reject(new Error('the upload was interrupted (network error)')));
    request.addEventListener('abort', () => reject(new Error('the upload was cancelled')));
    request.send(file);
  });
}
