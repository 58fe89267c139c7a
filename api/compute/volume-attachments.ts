// Nova's os-volume_attachments: list, show, attach (POST: reserve the volume, start its
// attach workflow, answer at once with the device it will get) and detach (DELETE: 202,
// the detach workflow runs). The volume is looked up as the caller's Cinder sees it:
// another project's volume does not exist. Devices start at vdc: vdb is the ephemeral disk's.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requestMetadata } from '../../application/metadata.js';
import type { VolumeService } from '../../application/volumes/volume-service.js';
import type { InstanceQueries, InstanceRecord } from '../../projections/instance-queries.js';
import type { VolumeQueries } from '../../projections/volume-queries.js';
import { DomainError } from '../../domain/decider.js';
import { identified, many, noContent, one } from '../responses.js';
import { findServer, serverTarget } from './server-access.js';
import type { Microversion } from './microversion.js';

export interface VolumeAttachmentRouteOptions {
  instances: InstanceQueries;
  volumes: VolumeQueries;
  volumeService: VolumeService;
}

const serverParams = z.object({ serverId: z.string().min(1).max(255) });
const attachmentParams = serverParams.extend({ volumeId: z.string().min(1).max(255) });

const attachBody = z.object({
  volumeAttachment: z
    .object({
      volumeId: z.guid(),
      device: z.string().max(255).nullable().optional(),
      tag: z.string().max(60).optional(),
      delete_on_termination: z.boolean().optional(),
    })
    .strict(),
});

const DEVICE_LETTERS = 'cdefghijklmnopqrstuvwxyz';

/** The device a new volume gets: the one asked for (`/dev/vdX`, free), else the first free from vdc. */
function deviceFor(record: InstanceRecord, asked: string | null | undefined): string {
  const taken = new Set((record.state.volumes ?? []).map((volume) => volume.device));
  if (asked != null) {
    const name = asked.replace(/^\/dev\//, '');
    if (!/^vd[c-z]$/.test(name)) throw new DomainError('invalid', `The supplied device path (${asked}) is invalid.`);
    if (taken.has(name)) throw new DomainError('conflict', `The supplied device path (${asked}) is in use.`);
    return name;
  }
  const free = [...DEVICE_LETTERS].map((letter) => `vd${letter}`).find((name) => !taken.has(name));
  if (!free) throw new DomainError('invalid', 'No free disk device names for prefix vd');
  return free;
}

function attachmentView(serverId: string, volumeId: string, device: string, microversion: Microversion) {
  return {
    device: `/dev/${device}`,
    id: volumeId,
    serverId,
    volumeId,
    ...(microversion.atLeast('2.70') ? { tag: null } : {}),
    ...(microversion.atLeast('2.79') ? { delete_on_termination: false } : {}),
  };
}

export const volumeAttachmentRoutes: FastifyPluginAsyncZod<VolumeAttachmentRouteOptions> = async (app, { instances, volumes, volumeService }) => {
  const serverFor = (request: FastifyRequest, serverId: string) => {
    const record = findServer(request, instances, serverId);
    request.authorize(serverTarget(record));
    return record;
  };

  /** As Nova asks Cinder with the caller's token: a volume of another project does not exist. */
  const volumeOfProject = (record: InstanceRecord, volumeId: string) => {
    const volume = volumes.volume(volumeId);
    if (!volume || volume.state.request.projectId !== record.state.request.projectId) throw new DomainError('not_found', `Volume ${volumeId} could not be found.`);
    return volume;
  };

  app.get(
    '/servers/:serverId/os-volume_attachments',
    { schema: { summary: "List a server's volume attachments", params: serverParams, response: { 200: many('volumeAttachments', identified) } }, config: { policy: 'os_compute_api:os-volumes-attachments:index' } },
    async (request) => {
      const record = serverFor(request, request.params.serverId);
      return { volumeAttachments: (record.state.volumes ?? []).map((volume) => attachmentView(record.id, volume.volumeId, volume.device, request.microversion)) };
    },
  );

  app.get(
    '/servers/:serverId/os-volume_attachments/:volumeId',
    { schema: { summary: 'Show a volume attachment', params: attachmentParams, response: { 200: one('volumeAttachment', identified) } }, config: { policy: 'os_compute_api:os-volumes-attachments:show' } },
    async (request) => {
      const record = serverFor(request, request.params.serverId);
      const attached = (record.state.volumes ?? []).find((volume) => volume.volumeId === request.params.volumeId);
      if (!attached) throw new DomainError('not_found', `Instance ${record.id} is not attached to volume ${request.params.volumeId}.`);
      return { volumeAttachment: attachmentView(record.id, attached.volumeId, attached.device, request.microversion) };
    },
  );

  app.post(
    '/servers/:serverId/os-volume_attachments',
    { schema: { summary: 'Attach a volume to a server', params: serverParams, body: attachBody, response: { 200: one('volumeAttachment', identified) } }, config: { policy: 'os_compute_api:os-volumes-attachments:create' } },
    async (request) => {
      const record = serverFor(request, request.params.serverId);
      const { volumeId, device } = request.body.volumeAttachment;
      const { state } = record;
      if (state.vmState !== 'active' || state.taskState !== null || state.host === null) {
        throw new DomainError('conflict', `Cannot 'attach_volume' instance ${record.id} while it is in vm_state ${state.vmState ?? 'unknown'}${state.taskState ? ` and task_state ${state.taskState}` : ''}`);
      }
      volumeOfProject(record, volumeId);
      const attachment = await volumeService.attach(volumeId, { instanceId: record.id, host: state.host, device: deviceFor(record, device) }, requestMetadata(request.caller, request.id));
      return { volumeAttachment: attachmentView(record.id, volumeId, attachment.device, request.microversion) };
    },
  );

  app.delete(
    '/servers/:serverId/os-volume_attachments/:volumeId',
    { schema: { summary: 'Detach a volume from a server', params: attachmentParams, response: { 202: noContent } }, config: { policy: 'os_compute_api:os-volumes-attachments:delete' } },
    async (request, reply) => {
      const record = serverFor(request, request.params.serverId);
      const { volumeId } = request.params;
      volumeOfProject(record, volumeId);
      if (record.state.taskState !== null) throw new DomainError('conflict', `Cannot 'detach_volume' instance ${record.id} while it is in task_state ${record.state.taskState}`);
      await volumeService.detach(volumeId, record.id, requestMetadata(request.caller, request.id));
      return reply.status(202).send();
    },
  );
};
