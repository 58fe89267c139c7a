// Builds the volume service's parts for one API process.
import { VolumeService } from '../../application/volumes/volume-service.js';
import { apiBaseUrl } from '../../config/paths.js';
import { imageQueries } from '../../projections/image-queries.js';
import { volumeQueries } from '../../projections/volume-queries.js';
import type { ApiContext } from '../context.js';
import type { VolumeRouteOptions } from './options.js';

export function volumeRouteOptions({ config, events, projections, readModel, temporal }: ApiContext): VolumeRouteOptions {
  const volumes = volumeQueries(readModel);
  const volumeService = new VolumeService({ events, projections, temporal });
  // Creates and deletes a crash left between their record and their workflow's start.
  void volumeService.resume(volumes.pending(), console.warn);
  return {
    base: `${apiBaseUrl(config)}/volume`,
    volumes,
    volumeService,
    node: config.storage.node,
    availabilityZone: config.compute.availabilityZone,
    images: imageQueries(readModel),
  };
}
