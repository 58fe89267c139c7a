// Image members: an owner shares a `shared` image with other projects; each member
// accepts or rejects it. A member sees only its own membership.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requestMetadata } from '../../application/metadata.js';
import { DomainError } from '../../domain/decider.js';
import { MEMBER_STATUSES } from '../../domain/image/vocabulary.js';
import { findVisibleImage } from './access.js';
import type { VisibleImage } from './access.js';
import { imageIdParams } from './images.js';
import { requireJson } from './media-types.js';
import type { ImageRouteOptions } from './options.js';
import { memberResponse, memberView } from './views.js';
import { noContent } from '../responses.js';

const memberParams = imageIdParams.extend({ memberId: z.string().min(1).max(255) });

function requireShared(found: VisibleImage): void {
  if (found.image.visibility !== 'shared') throw new DomainError('forbidden', 'Only shared images have members.');
}

export const memberRoutes: FastifyPluginAsyncZod<ImageRouteOptions> = async (app, { queries, commands }) => {
  const existingMember = (imageId: string, memberId: string) => {
    const member = queries.member(imageId, memberId);
    if (!member) throw new DomainError('not_found', `${memberId} is not a member of image ${imageId}.`);
    return member;
  };

  app.get('/v2/images/:imageId/members', { schema: { summary: 'List members', response: { 200: z.looseObject({ members: z.array(memberResponse) }) }, params: imageIdParams }, config: { policy: 'get_members' } }, async (request) => {
    const found = findVisibleImage(request, queries, request.params.imageId);
    request.authorize(found.target);
    requireShared(found);
    const { viewer, image } = found;
    const everyone = viewer.isAdmin || image.owner === viewer.projectId;
    const members = queries.members(image.id).filter((member) => everyone || member.member_id === viewer.projectId);
    return { members: members.map(memberView), schema: '/v2/schemas/members' };
  });

  app.post(
    '/v2/images/:imageId/members',
    { schema: { summary: 'Share an image with a project', response: { 200: memberResponse }, params: imageIdParams, body: z.object({ member: z.string().min(1).max(255) }) }, config: { policy: 'add_member' }, preParsing: [requireJson] },
    async (request) => {
      const found = findVisibleImage(request, queries, request.params.imageId);
      request.authorize(found.target);
      await commands.addMember(found.image.id, request.body.member, requestMetadata(request.caller, request.id));
      return memberView(existingMember(found.image.id, request.body.member));
    },
  );

  app.get('/v2/images/:imageId/members/:memberId', { schema: { summary: 'Show a member', response: { 200: memberResponse }, params: memberParams }, config: { policy: 'get_member' } }, async (request) => {
    const found = findVisibleImage(request, queries, request.params.imageId);
    request.authorize(found.target);
    const { viewer, image } = found;
    const { memberId } = request.params;
    // Another member's status is not a member's business: as if it did not exist.
    if (!viewer.isAdmin && image.owner !== viewer.projectId && memberId !== viewer.projectId) throw new DomainError('not_found', `${memberId} is not a member of image ${image.id}.`);
    return memberView(existingMember(image.id, memberId));
  });

  app.put(
    '/v2/images/:imageId/members/:memberId',
    { schema: { summary: 'Accept, reject or reset a share', response: { 200: memberResponse }, params: memberParams, body: z.object({ status: z.enum(MEMBER_STATUSES) }) }, config: { policy: 'modify_member' }, preParsing: [requireJson] },
    async (request) => {
      const found = findVisibleImage(request, queries, request.params.imageId);
      const { memberId } = request.params;
      existingMember(found.image.id, memberId);
      // modify_member is the member's own decision: the target names the member being changed.
      request.authorize({ ...found.target, member_id: memberId });
      await commands.setMemberStatus(found.image.id, memberId, request.body.status, requestMetadata(request.caller, request.id));
      return memberView(existingMember(found.image.id, memberId));
    },
  );

  app.delete('/v2/images/:imageId/members/:memberId', { schema: { summary: 'Stop sharing with a project', response: { 204: noContent }, params: memberParams }, config: { policy: 'delete_member' } }, async (request, reply) => {
    const found = findVisibleImage(request, queries, request.params.imageId);
    request.authorize(found.target);
    await commands.removeMember(found.image.id, request.params.memberId, requestMetadata(request.caller, request.id));
    return reply.status(204).send();
  });
};
