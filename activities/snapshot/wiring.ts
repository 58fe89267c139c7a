// Builds the snapshot activities of a worker process from the configuration: the control
// worker's (the event log and the image store, to discard a failed snapshot's image) and a
// compute host's (its layout, and the image API with the host's service credentials).
import { apiBaseUrl, dataPaths } from '../../config/paths.js';
import type { StrataConfig } from '../../config/schema.js';
import type { EventStore } from '../../eventstore/port.js';
import { FilesystemImageStore } from '../../imagestore/filesystem-store.js';
import type { HostLayout } from '../launch/host-layout.js';
import { imageApiSession } from '../launch/host-wiring.js';
import type { SnapshotControlActivities, SnapshotHostActivities } from './contract.js';
import { createSnapshotControlActivities } from './control-activities.js';
import { GlanceUploader } from './glance-upload.js';
import { createSnapshotHostActivities } from './host-activities.js';

export async function snapshotControlActivitiesFor(config: StrataConfig, events: EventStore): Promise<SnapshotControlActivities> {
  const store = await new FilesystemImageStore(dataPaths(config).images).open();
  return createSnapshotControlActivities({ events, store });
}

export function snapshotHostActivitiesFor(config: StrataConfig, layout: HostLayout): SnapshotHostActivities {
  return createSnapshotHostActivities({ layout, uploader: new GlanceUploader(apiBaseUrl(config), imageApiSession(config)) });
}
