// Image bytes read straight from the filesystem image store, when its file is readable
// on this host: the image's stream in the event log says which store file holds its
// data (the store chose the name; nothing from a client becomes a path).
import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { fold } from '../../domain/decider.js';
import type { ImageEvent } from '../../domain/image/events.js';
import { imageStream } from '../../domain/image/events.js';
import { imageDecider } from '../../domain/image/image.js';
import type { EventStore } from '../../eventstore/port.js';
import { FilesystemImageStore } from '../../imagestore/filesystem-store.js';
import type { ImageSource } from './image-source.js';

const READ_CHUNK = 1024 * 1024;

async function openReadable(path: string): Promise<FileHandle | null> {
  try {
    return await open(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EPERM') return null;
    throw error;
  }
}

export function storeImageSource(events: EventStore, imageStoreRoot: string): ImageSource {
  // Only computes paths: the compute host never creates the store's directories.
  const store = new FilesystemImageStore(imageStoreRoot);
  /** The store file of the image's data, if it has any. */
  const pathOf = async (imageId: string) => {
    const history = await events.readStream(imageStream(imageId));
    const image = fold(imageDecider, history.map((event) => ({ type: event.type, data: event.data }) as ImageEvent));
    return image?.data ? store.path('images', image.data.location) : null;
  };
  return {
    // A stored image's file is written once, renamed into place and never changed again.
    async localFile(imageId) {
      const path = await pathOf(imageId);
      const handle = path === null ? null : await openReadable(path);
      await handle?.close();
      return handle ? path : null;
    },
    async open(imageId, offset) {
      const path = await pathOf(imageId);
      if (path === null) return null;
      const handle = await openReadable(path);
      if (!handle) return null;
      return { stream: handle.createReadStream({ start: offset, highWaterMark: READ_CHUNK }), offset, origin: `image store file ${path}` };
    },
  };
}
