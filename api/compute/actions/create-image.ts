// createImage (`openstack server image create`): snapshot the server into a new image.
// The image record exists (queued) when this answers 202; the snapshot workflow fills it.
// From microversion 2.45 the body names the image; before, only the Location header does.
import { z } from 'zod';
import { requestMetadata } from '../../../application/metadata.js';
import { serverAction } from './server-action.js';

/** Nova's parameter_types.metadata: keys of 1-255 of these characters, string values up to 255. */
const metadataSchema = z.record(z.string().regex(/^[a-zA-Z0-9-_:. ]{1,255}$/, 'metadata keys are 1-255 characters of a-z A-Z 0-9 - _ : . and space'), z.string().max(255));

const createImageBody = z
  .object({
    name: z
      .string()
      .min(1)
      .max(255)
      .refine((name) => name.trim() === name, 'must not begin or end with whitespace'),
    metadata: metadataSchema.optional(),
  })
  .strict();

export const createImageAction = serverAction({
  policy: 'os_compute_api:servers:create_image',
  body: createImageBody,
  async handle({ request, reply, options, server }, { name, metadata }) {
    const imageId = await options.snapshotter.snapshot(server.id, { name, metadata: metadata ?? {} }, requestMetadata(request.caller, request.id));
    void reply.code(202);
    if (request.microversion.atLeast('2.45')) return { image_id: imageId };
    void reply.header('location', `${options.imageBase}/v2/images/${imageId}`);
    return '';
  },
});
