// What the compute routes are given by the API's composition root.
import type { FlavorCommands } from '../../application/flavors/flavor-commands.js';
import type { ConsoleReader } from '../../application/instances/console-output.js';
import type { InstanceLauncher } from '../../application/instances/launcher.js';
import type { FlavorQueries } from '../../projections/flavor-queries.js';
import type { ImageQueries } from '../../projections/image-queries.js';
import type { InstanceQueries } from '../../projections/instance-queries.js';
import type { AvailabilityZoneRouteOptions } from './availability-zones.js';
import type { HypervisorRouteOptions } from './hypervisors.js';
import type { ServerDeleteRouteOptions } from './server-delete.js';
import type { ServerGroupRouteOptions } from './server-groups.js';
import type { ComputeServiceRouteOptions } from './services.js';

export interface ComputeRouteOptions extends HypervisorRouteOptions, AvailabilityZoneRouteOptions, ServerGroupRouteOptions, ComputeServiceRouteOptions, ServerDeleteRouteOptions {
  /** The compute root, e.g. http://127.0.0.1:8770/compute (the catalog names `<base>/v2.1`). */
  base: string;
  flavors: FlavorQueries;
  flavorCommands: FlavorCommands;
  instances: InstanceQueries;
  images: ImageQueries;
  launcher: InstanceLauncher;
  console: ConsoleReader;
}
