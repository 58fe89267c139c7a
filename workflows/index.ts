// Every workflow the control worker runs; the worker bundles this file.
export { probeHost } from './probe-host.js';
export { launchInstance } from './launch.js';
export { consoleOutput } from './console-output.js';
export { imageImport } from './image-import.js';
export { listImageCache, pruneImageCache } from './prune-image-cache.js';
export { reapHostOrphans } from './reap-orphans.js';
export { deleteInstance } from './delete.js';
export { snapshotInstance } from './snapshot.js';
export { createVolume } from './volume-create.js';
export { deleteVolume } from './volume-delete.js';
export { attachVolume } from './volume-attach.js';
export { detachVolume } from './volume-detach.js';
