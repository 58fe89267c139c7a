// Builds the image service's parts for one API process: the store, the read-model
// queries, the command, data and import services.
import { ImageCommands } from '../../application/images/image-commands.js';
import { ImageData } from '../../application/images/image-data.js';
import { ImageImports } from '../../application/images/image-imports.js';
import { requestMetadata } from '../../application/metadata.js';
import { apiBaseUrl, dataPaths } from '../../config/paths.js';
import type { PropertyProtections } from '../../domain/protections/protections.js';
import { FilesystemImageStore } from '../../imagestore/filesystem-store.js';
import { imageQueries } from '../../projections/image-queries.js';
import type { ApiContext } from '../context.js';
import type { ImageRouteOptions } from './options.js';

export async function imageRouteOptions(context: ApiContext, protections: PropertyProtections | null): Promise<ImageRouteOptions> {
  const { config, events, projections, readModel, temporal } = context;
  const store = await new FilesystemImageStore(dataPaths(config).images).open();
  const queries = imageQueries(readModel);
  const commands = new ImageCommands({ events, projections, store });
  const data = new ImageData({ commands, queries, store, limits: config.images });
  await data.abandonInterruptedUploads(requestMetadata(null, 'startup'));
  return {
    base: `${apiBaseUrl(config)}/image`,
    commands,
    data,
    imports: new ImageImports({ commands, data, store, temporal }),
    queries,
    store,
    protections,
    showDirectUrl: config.images.showImageDirectUrl,
  };
}
