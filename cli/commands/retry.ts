// `strata retry <instance-id> [--host H]`: retries a failed launch that waits for an
// operator's decision, through the ops API so the retry is recorded with the operator as
// its actor. Exit 1 with the API's reason when the instance cannot be retried.
import { parseArgs } from 'node:util';
import { callOps, errorMessageOf, openApiSession } from '../api-session.js';
import type { CliCommand } from '../command.js';

const usage = `usage: strata retry <instance-id> [--host H]

Retries the instance's failed launch (it must be in ERROR and its launch still waiting
for a decision: see \`strata failures\`). --host forces the host (admin only); without
it the scheduler chooses, the failed host included. Authenticates as OS_USERNAME /
OS_PASSWORD / OS_PROJECT_NAME at OS_AUTH_URL when set, otherwise as the configured admin.`;

export const retryCommand: CliCommand = {
  name: 'retry',
  summary: 'retry a failed launch that waits for an operator',
  usage,
  async run(args, { config }) {
    const { positionals, values } = parseArgs({ args, options: { host: { type: 'string' } }, allowPositionals: true });
    const [instanceId, ...extra] = positionals;
    if (!instanceId || extra.length > 0) {
      console.error(usage);
      return 2;
    }
    const session = await openApiSession(config, process.env);
    const host = values.host ?? null;
    const answer = await callOps(session, 'POST', `/instances/${encodeURIComponent(instanceId)}/retry`, host === null ? {} : { host });
    if (answer.status !== 202) {
      console.error(`strata retry: ${errorMessageOf(answer.body)} (HTTP ${answer.status})`);
      return 1;
    }
    const { retry } = answer.body as { retry: { attempt: number; host: string | null } };
    console.log(`instance ${instanceId}: retrying as attempt ${retry.attempt}${retry.host ? ` on host ${retry.host}` : ''}`);
    return 0;
  },
};
