// Builds the volume service's parts for one API process.
import { VolumeService } from '../../application/volumes/volume-service.js';
import { apiBaseUrl } from '../../config/paths.js';
import { volumeQueries } from '../../projections/volume-queries.js';
import type { ApiContext } from '../context.js';
import type { VolumeRouteOptions } from './options.js';

export function volumeRouteOptions({ config, events, projections, readModel, temporal }: ApiContext): VolumeRouteOptions {
  return {
    base: `${apiBaseUrl(config)}/volume`,
    volumes: volumeQueries(readModel),
    volumeService: new VolumeService({ events, projections, temporal }),
    node: config.storage.node,
    availabilityZone: config.compute.availabilityZone,
  };
}
