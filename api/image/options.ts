// What the image routes are given by the API's composition root.
import type { ImageCommands } from '../../application/images/image-commands.js';
import type { ImageData } from '../../application/images/image-data.js';
import type { ImageImports } from '../../application/images/image-imports.js';
import type { PropertyProtections } from '../../domain/protections/protections.js';
import type { FilesystemImageStore } from '../../imagestore/filesystem-store.js';
import type { ImageQueries } from '../../projections/image-queries.js';

export interface ImageRouteOptions {
  /** Base URL of the image endpoint, e.g. http://127.0.0.1:8770/image. */
  base: string;
  commands: ImageCommands;
  data: ImageData;
  imports: ImageImports;
  queries: ImageQueries;
  store: FilesystemImageStore;
  /** Null when no property protection file is configured: every property is open. */
  protections: PropertyProtections | null;
  showDirectUrl: boolean;
}
