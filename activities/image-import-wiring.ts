// Opens what the image import activities need in a worker process: the image store named
// by the configuration, next to the worker's event log.
import { dataPaths } from '../config/paths.js';
import type { StrataConfig } from '../config/schema.js';
import type { EventStore } from '../eventstore/port.js';
import { FilesystemImageStore } from '../imagestore/filesystem-store.js';
import { createImageImportActivities } from './image-import.js';
import type { ImageImportActivities } from './image-import.js';

export async function imageImportActivitiesFor(config: StrataConfig, events: EventStore): Promise<ImageImportActivities> {
  const store = await new FilesystemImageStore(dataPaths(config).images).open();
  return createImageImportActivities({ events, store, webDownloadAllowList: config.images.webDownloadAllowList });
}
