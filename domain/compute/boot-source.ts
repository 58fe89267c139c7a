// Where an instance boots from, as a plain function over the request: workflow code uses it,
// and a workflow's imports are evaluated again for every new workflow run, so this module
// stays free of the zod schemas instance.ts builds.
import type { InstanceRequest } from './instance.js';

/** Booted from a volume (Nova's "image": "" in the server body): its vda is the volume, not an image overlay. */
export function bootsFromVolume(request: Pick<InstanceRequest, 'volumes'>): boolean {
  return (request.volumes ?? []).some((volume) => volume.device === 'vda');
}
