// Builds a compute host's launch and image-cache activities from the configuration: the
// host's directory, its image sources (the local image store when its files are
// readable here, else the Glance API with the configured admin credentials), the
// accelerator and firmware, and the ephemeral-disk settings.
import { join } from 'node:path';
import { apiBaseUrl, computeHostName, dataPaths } from '../../config/paths.js';
import type { StrataConfig } from '../../config/schema.js';
import type { EventStore } from '../../eventstore/port.js';
import { resolveAccelerator } from '../../hypervisor/accelerator.js';
import { createImageCacheActivities } from './cache-activities.js';
import type { ImageCacheActivities } from './cache-activities.js';
import { glanceImageSource } from './glance-image-source.js';
import type { HostActivities } from './host.js';
import { createHostLaunchActivities } from './host.js';
import type { HostLayout } from './host-layout.js';
import { hostLayout } from './host-layout.js';
import { ImageCache } from './image-cache.js';
import type { ImageSource } from './image-source.js';
import { firstAvailable } from './image-source.js';
import { KeystoneSession } from './keystone-session.js';
import { storeImageSource } from './store-image-source.js';

export interface ComputeHostActivities {
  layout: HostLayout;
  launch: HostActivities;
  cache: ImageCacheActivities;
}

export function hostLayoutFor(config: StrataConfig): HostLayout {
  return hostLayout(join(dataPaths(config).hosts, computeHostName(config)));
}

/** The compute host's service session for the image API: the configured admin user's token. */
export function imageApiSession(config: StrataConfig): KeystoneSession {
  const { adminUser: user, adminPassword: password, adminProject: project } = config.identity;
  return new KeystoneSession(apiBaseUrl(config), { user, password, project });
}

/** Image bytes from the local image store when its files are readable here, else over Glance (compute hosts and storage nodes). */
export function imageSourceFor(config: StrataConfig, events: EventStore): ImageSource {
  return firstAvailable(storeImageSource(events, dataPaths(config).images), glanceImageSource(apiBaseUrl(config), imageApiSession(config)));
}

export function computeHostActivitiesFor(config: StrataConfig, events: EventStore): ComputeHostActivities {
  const layout = hostLayoutFor(config);
  const sources = imageSourceFor(config, events);
  // Without links the cache copies every image, from the store's file or over the API.
  const source: ImageSource = config.compute.imageCacheLinksStoreFiles ? sources : { open: (imageId, offset) => sources.open(imageId, offset) };
  const { compute } = config;
  const launch = createHostLaunchActivities({
    host: computeHostName(config),
    events,
    cache: new ImageCache({ layout, source }),
    vm: { accelerator: resolveAccelerator(compute.accelerator), ovmf: { code: compute.ovmfCode, vars: compute.ovmfVars } },
    bootTimeoutSeconds: compute.bootTimeoutSeconds,
    ephemeral: { clear: compute.ephemeralClear, encrypt: compute.ephemeralEncryption },
  });
  return { layout, launch, cache: createImageCacheActivities({ layout }) };
}
