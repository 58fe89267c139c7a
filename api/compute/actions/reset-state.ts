// os-resetState (`openstack server set --state active|error`): an admin sets vm_state by
// hand; task_state is cleared. 202 with no body, as Nova answers.
import { z } from 'zod';
import { requestMetadata } from '../../../application/metadata.js';
import { serverAction } from './server-action.js';

const resetStateBody = z.object({ state: z.enum(['active', 'error']) }).strict();

export const resetStateAction = serverAction({
  policy: 'os_compute_api:os-admin-actions:reset_state',
  body: resetStateBody,
  async handle({ request, reply, options, server }, { state }) {
    await options.stateResetter.reset(server.id, state, requestMetadata(request.caller, request.id));
    void reply.code(202);
    return '';
  },
});
