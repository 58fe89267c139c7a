// `strata failures [--json]`: failed launches (still waiting for a retry or delete, or no
// longer), deletes and snapshots, newest first, with cause, step, host, attempts and the
// link to the run in the Temporal UI; from the ops API.
import { parseArgs } from 'node:util';
import type { Failure } from '../../application/ops/failure.js';
import { callOps, errorMessageOf, openApiSession } from '../api-session.js';
import type { CliCommand } from '../command.js';

const usage = `usage: strata failures [--json]

Lists failed operations: launches (instances in ERROR: "awaiting decision" while
\`strata retry\` or a delete can still act), deletes and snapshots. --json prints the API's answer.`;

type Listed = Failure & { workflow_url: string | null };

function describe(failure: Listed): string {
  const waiting = failure.awaiting_decision ? `  awaiting decision until ${failure.decision_until ?? '?'}` : '';
  return [
    `${failure.operation} ${failure.instance_id ?? '-'}  failed ${failure.failed_at ?? '?'}${waiting}`,
    `  step ${failure.step ?? '-'}  host ${failure.host ?? '-'}  attempts ${failure.attempts ?? '-'}`,
    `  cause: ${failure.cause}`,
    ...(failure.workflow_url ? [`  workflow: ${failure.workflow_url}`] : failure.workflow_id ? [`  workflow: ${failure.workflow_id}`] : []),
  ].join('\n');
}

export const failuresCommand: CliCommand = {
  name: 'failures',
  summary: 'list failed launches, deletes and snapshots',
  usage,
  async run(args, { config }) {
    const { values, positionals } = parseArgs({ args, options: { json: { type: 'boolean', default: false } }, allowPositionals: true });
    if (positionals.length > 0) {
      console.error(usage);
      return 2;
    }
    const answer = await callOps(await openApiSession(config, process.env), 'GET', '/failures');
    if (answer.status !== 200) {
      console.error(`strata failures: ${errorMessageOf(answer.body)} (HTTP ${answer.status})`);
      return 1;
    }
    const { failures } = answer.body as { failures: Listed[] };
    if (values.json) console.log(JSON.stringify(answer.body, null, 2));
    else console.log(failures.length === 0 ? 'no failures' : failures.map(describe).join('\n\n'));
    return 0;
  },
};
