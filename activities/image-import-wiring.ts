// Opens what the image import activities need in a worker process: the event log and the
// image store named by the configuration.
import { dataPaths } from '../config/paths.js';
import type { StrataConfig } from '../config/schema.js';
import { strataEventSchemas } from '../domain/event-registry.js';
import { openEventStore } from '../eventstore/open.js';
import { FilesystemImageStore } from '../imagestore/filesystem-store.js';
import { createImageImportActivities } from './image-import.js';
import type { ImageImportActivities } from './image-import.js';

export async function imageImportActivitiesFor(config: StrataConfig): Promise<ImageImportActivities> {
  const store = await new FilesystemImageStore(dataPaths(config).images).open();
  const events = openEventStore(config, strataEventSchemas());
  return createImageImportActivities({ events, store, webDownloadAllowList: config.images.webDownloadAllowList });
}
