// Builds the compute service's parts for one API process, seeds the default flavors (once
// in the cloud's life) and resumes launches a crash left unstarted.
import { FlavorCommands } from '../../application/flavors/flavor-commands.js';
import { HostAdministration } from '../../application/hosts/host-administration.js';
import { ServerGroupCommands } from '../../application/hosts/server-group-commands.js';
import { ConsoleReader } from '../../application/instances/console-output.js';
import { InstanceDeleter } from '../../application/instances/deleter.js';
import { InstanceLauncher } from '../../application/instances/launcher.js';
import { InstanceStateResetter } from '../../application/instances/reset-state.js';
import { InstanceSnapshotter } from '../../application/instances/snapshotter.js';
import { ImageCommands } from '../../application/images/image-commands.js';
import { FilesystemImageStore } from '../../imagestore/filesystem-store.js';
import { requestMetadata } from '../../application/metadata.js';
import { apiBaseUrl, dataPaths } from '../../config/paths.js';
import { flavorQueries } from '../../projections/flavor-queries.js';
import { hostQueries } from '../../projections/host-queries.js';
import { imageQueries } from '../../projections/image-queries.js';
import { instanceActionQueries } from '../../projections/instance-action-queries.js';
import { instanceQueries } from '../../projections/instance-queries.js';
import { serverGroupQueries } from '../../projections/server-group-queries.js';
import { volumeQueries } from '../../projections/volume-queries.js';
import { VolumeService } from '../../application/volumes/volume-service.js';
import type { ApiContext } from '../context.js';
import type { ComputeRouteOptions } from './options.js';

export async function computeRouteOptions(context: ApiContext, log: (line: string) => void = console.warn): Promise<ComputeRouteOptions> {
  const { config, events, projections, readModel, temporal } = context;
  const flavorCommands = new FlavorCommands(events, projections);
  await flavorCommands.seedDefaults(requestMetadata(null, 'seed-flavors'));
  const instances = instanceQueries(readModel);
  const launcher = new InstanceLauncher({ events, projections, temporal, log });
  await launcher.resume(instances.building());
  return {
    base: `${apiBaseUrl(config)}/compute`,
    flavors: flavorQueries(readModel),
    flavorCommands,
    instances,
    instanceActions: instanceActionQueries(events),
    images: imageQueries(readModel),
    launcher,
    deleter: new InstanceDeleter({ events, projections, temporal }),
    console: new ConsoleReader(temporal),
    snapshotter: new InstanceSnapshotter({ events, projections, temporal, images: new ImageCommands({ events, projections, store: await new FilesystemImageStore(dataPaths(config).images).open() }) }),
    stateResetter: new InstanceStateResetter({ events, projections }),
    imageBase: `${apiBaseUrl(config)}/image`,
    hosts: hostQueries(readModel),
    serverGroups: serverGroupQueries(readModel),
    serverGroupCommands: new ServerGroupCommands(events, projections),
    hostAdministration: new HostAdministration(events, projections),
    volumes: volumeQueries(readModel),
    volumeService: new VolumeService({ events, projections, temporal }),
  };
}
