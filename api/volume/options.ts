// What the volume routes are given by the API's composition root.
import type { VolumeService } from '../../application/volumes/volume-service.js';
import type { ImageQueries } from '../../projections/image-queries.js';
import type { VolumeQueries } from '../../projections/volume-queries.js';

export interface VolumeRouteOptions {
  /** The block-storage root, e.g. http://127.0.0.1:8770/volume (the catalog names `<base>/v3/<project>`). */
  base: string;
  volumes: VolumeQueries;
  volumeService: VolumeService;
  /** Where new volumes go: the one storage node, until volumes are scheduled. */
  node: string;
  availabilityZone: string;
  /** Images a volume may be created from. */
  images: ImageQueries;
}
