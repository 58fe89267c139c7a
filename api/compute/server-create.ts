// `POST /servers`: validate and authorize as Nova's API does, then record the request and
// start its launch (application/instances/launcher.ts), answering 202 with the new
// server's id once the read model shows it. Nova has no idempotency key: a client that
// retries a create gets a second server, as it would from Nova.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { randomInt, randomUUID } from 'node:crypto';
import { checkZoneAvailable, imageSnapshotOf, instanceRequestOf, parseAvailabilityZone } from '../../application/instances/launch-request.js';
import { requestMetadata } from '../../application/metadata.js';
import type { Flavor } from '../../domain/compute/flavor.js';
import type { ImageSnapshot } from '../../domain/compute/instance.js';
import { DomainError } from '../../domain/decider.js';
import { PolicyForbiddenError } from '../../domain/policy/errors.js';
import { findVisibleImage } from '../image/access.js';
import { resourceLinks } from './links.js';
import type { ComputeRouteOptions } from './options.js';
import { checkServerCreate, flavorIdOf, serverCreateBody } from './server-create-schema.js';
import { requestedVolumes } from './server-create-volumes.js';
import { identified, one } from '../responses.js';

const FORCED_HOST = 'os_compute_api:servers:create:forced_host';
const ZERO_DISK_FLAVOR = 'os_compute_api:servers:create:zero_disk_flavor';
/** Nova's generate_password alphabet: no look-alike characters. */
const PASSWORD_SYMBOLS = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

function generatedPassword(): string {
  return Array.from({ length: 12 }, () => PASSWORD_SYMBOLS[randomInt(PASSWORD_SYMBOLS.length)]).join('');
}

export const serverCreateRoutes: FastifyPluginAsyncZod<ComputeRouteOptions> = async (app, { base, flavors, images, launcher, hosts, serverGroups, volumes }) => {
  const requestedFlavor = (request: FastifyRequest, flavorRef: string | number): Flavor => {
    const flavor = flavors.flavor(flavorIdOf(flavorRef));
    if (!flavor || (!flavor.isPublic && !request.allowed('context_is_admin'))) throw new DomainError('invalid', 'Invalid flavorRef provided.');
    return flavor;
  };

  /** An image the caller may not see is, to Nova, one that does not exist: 400 on create. */
  const requestedImage = (request: FastifyRequest, imageId: string): ImageSnapshot => {
    try {
      return imageSnapshotOf(findVisibleImage(request, images, imageId).image);
    } catch (error) {
      if (error instanceof DomainError && error.kind === 'not_found') throw new DomainError('invalid', `Image ${imageId} could not be found.`);
      throw error;
    }
  };

  const availableZones = () => hosts.all().filter((record) => record.state.enabled).map((record) => record.state.registration.availabilityZone);

  /** The group a `group` hint names, when the caller's project may use it. */
  const requestedGroup = (request: FastifyRequest, projectId: string, groupId: string | undefined): string | null => {
    if (groupId === undefined) return null;
    const group = serverGroups.group(groupId);
    if (!group || (group.projectId !== projectId && !request.allowed('context_is_admin'))) {
      throw new DomainError('invalid', `Instance group ${groupId} could not be found.`);
    }
    return group.groupId;
  };

  app.post(
    '/servers',
    { schema: { summary: 'Create a server (starts its launch workflow)', response: { 202: one('server', identified) }, body: serverCreateBody }, config: { policy: 'os_compute_api:servers:create' } },
    async (request, reply) => {
      const { caller } = request;
      const projectId = caller.project?.id;
      if (projectId === undefined) throw new DomainError('forbidden', 'A server is created in a project: use a project-scoped token.');
      const target = { project_id: projectId, user_id: caller.userId };
      request.authorize(target);
      const { server } = request.body;
      checkServerCreate(server, request);
      const zone = parseAvailabilityZone(server.availability_zone ?? null);
      if (zone.forcedHost !== null && !request.allowed(FORCED_HOST, target)) throw new PolicyForbiddenError(FORCED_HOST);
      if (zone.zone !== null) checkZoneAvailable(zone.zone, availableZones());
      const flavor = requestedFlavor(request, server.flavorRef);
      const attached = requestedVolumes(request, server.block_device_mapping_v2, server.imageRef, projectId, volumes);
      const image = attached.bootImage ?? requestedImage(request, server.imageRef);
      if (flavor.diskGb === 0 && !attached.bootImage && !request.allowed(ZERO_DISK_FLAVOR, target)) {
        throw new DomainError('forbidden', 'Only volume-backed servers are allowed for flavors with zero disk.');
      }
      const hints = request.body['os:scheduler_hints'] ?? request.body['OS-SCH-HNT:scheduler_hints'];
      const instanceRequest = instanceRequestOf({
        instanceId: randomUUID(),
        name: server.name,
        projectId,
        userId: caller.userId,
        flavor,
        image,
        zone,
        groupId: requestedGroup(request, projectId, hints?.group),
        metadata: server.metadata ?? {},
        createdAt: new Date().toISOString(),
        volumes: attached.volumes,
      });
      await launcher.launch(instanceRequest, requestMetadata(caller, request.id));
      const { instanceId } = instanceRequest;
      return reply
        .status(202)
        .header('Location', `${base}/v2.1/servers/${instanceId}`)
        .send({
          server: {
            id: instanceId,
            links: resourceLinks(base, 'servers', instanceId),
            // strata never resizes the guest's partitions, whatever was asked: MANUAL is what happens.
            'OS-DCF:diskConfig': 'MANUAL',
            security_groups: [{ name: 'default' }],
            // The guest is not told this password (strata has no metadata service); Nova's clients expect one.
            adminPass: server.adminPass ?? generatedPassword(),
          },
        });
    },
  );
};
