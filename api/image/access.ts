// Finding an image on behalf of a caller: an image the caller may not see is 404, and
// the policy target handed to `request.authorize` is the image's (Glance's ImageTarget).
import type { FastifyRequest } from 'fastify';
import { DomainError } from '../../domain/decider.js';
import { canSeeImage, imagePolicyTarget } from '../../domain/image/visibility.js';
import type { Viewer } from '../../domain/image/visibility.js';
import type { MemberStatus, Visibility } from '../../domain/image/vocabulary.js';
import type { ImageQueries, ImageRecordView } from '../../projections/image-queries.js';

export interface VisibleImage {
  image: ImageRecordView;
  membership: MemberStatus | null;
  viewer: Viewer;
  target: Record<string, unknown>;
}

export function viewerOf(request: FastifyRequest): Viewer {
  return { projectId: request.caller.project?.id ?? null, isAdmin: request.allowed('context_is_admin') };
}

export function imageNotFound(imageId: string): DomainError {
  return new DomainError('not_found', `No image found with ID ${imageId}`);
}

export function findVisibleImage(request: FastifyRequest, queries: ImageQueries, imageId: string): VisibleImage {
  const image = queries.image(imageId);
  const viewer = viewerOf(request);
  const membership = image ? queries.membership(image.id, viewer.projectId) : null;
  if (!image || !canSeeImage({ owner: image.owner, visibility: image.visibility as Visibility }, viewer, membership)) throw imageNotFound(imageId);
  const target = imagePolicyTarget(
    { id: image.id, owner: image.owner, visibility: image.visibility as Visibility, protected: image.protected === 1, properties: image.properties },
    viewer,
    membership,
  );
  return { image, membership, viewer, target };
}

/** For reads: a policy refusal is a 404 too, so a denied reader learns nothing (as Glance). */
export function authorizeRead(request: FastifyRequest, found: VisibleImage): void {
  const action = request.routeOptions.config.policy;
  if (typeof action === 'string' && !request.allowed(action, found.target)) throw imageNotFound(found.image.id);
  request.authorize(found.target);
}
