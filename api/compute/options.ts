// What the compute routes are given by the API's composition root.
import type { FlavorCommands } from '../../application/flavors/flavor-commands.js';
import type { ConsoleReader } from '../../application/instances/console-output.js';
import type { InstanceLauncher } from '../../application/instances/launcher.js';
import type { InstanceStateResetter } from '../../application/instances/reset-state.js';
import type { InstanceSnapshotter } from '../../application/instances/snapshotter.js';
import type { FlavorQueries } from '../../projections/flavor-queries.js';
import type { ImageQueries } from '../../projections/image-queries.js';
import type { InstanceActionQueries } from '../../projections/instance-action-queries.js';
import type { InstanceQueries } from '../../projections/instance-queries.js';
import type { AvailabilityZoneRouteOptions } from './availability-zones.js';
import type { HypervisorRouteOptions } from './hypervisors.js';
import type { ServerDeleteRouteOptions } from './server-delete.js';
import type { ServerGroupRouteOptions } from './server-groups.js';
import type { VolumeAttachmentRouteOptions } from './volume-attachments.js';
import type { ComputeServiceRouteOptions } from './services.js';

export interface ComputeRouteOptions extends HypervisorRouteOptions, AvailabilityZoneRouteOptions, ServerGroupRouteOptions, ComputeServiceRouteOptions, ServerDeleteRouteOptions, VolumeAttachmentRouteOptions {
  /** The compute root, e.g. http://127.0.0.1:8770/compute (the catalog names `<base>/v2.1`). */
  base: string;
  flavors: FlavorQueries;
  flavorCommands: FlavorCommands;
  instances: InstanceQueries;
  /** Each server's os-instance-actions, derived from its event stream. */
  instanceActions: InstanceActionQueries;
  images: ImageQueries;
  launcher: InstanceLauncher;
  console: ConsoleReader;
  snapshotter: InstanceSnapshotter;
  /** os-resetState: an admin sets vm_state by hand. */
  stateResetter: InstanceStateResetter;
  /** The image service root, e.g. http://127.0.0.1:8770/image: createImage's Location before 2.45. */
  imageBase: string;
}
