// Who may see an image, and what policy rules see of it. An image the caller may not
// see is answered 404, as if it did not exist (Glance never confirms a hidden image).
import type { MemberStatus, Visibility } from './vocabulary.js';

export interface Viewer {
  projectId: string | null;
  isAdmin: boolean;
}

export interface VisibleFacts {
  owner: string;
  visibility: Visibility;
}

/** Any membership counts for a direct read, whatever its status (Glance's is_image_visible). */
export function canSeeImage(image: VisibleFacts, viewer: Viewer, membership: MemberStatus | null): boolean {
  if (viewer.isAdmin || image.owner === viewer.projectId) return true;
  if (image.visibility === 'public' || image.visibility === 'community') return true;
  return image.visibility === 'shared' && membership !== null;
}

/**
 * The policy target of an image (Glance's ImageTarget): extra properties, then the base
 * facts, which a property of the same name cannot shadow. `member_id` is the caller's
 * project when it is a member, so `project_id:%(member_id)s` passes for members only.
 */
export function imagePolicyTarget(
  image: VisibleFacts & { id: string; protected: boolean; properties: Readonly<Record<string, string>> },
  viewer: Viewer,
  membership: MemberStatus | null,
): Record<string, unknown> {
  return {
    ...image.properties,
    id: image.id,
    project_id: image.owner,
    owner: image.owner,
    visibility: image.visibility,
    protected: image.protected,
    member_id: membership !== null ? viewer.projectId : null,
  };
}
