// `strata api`: the HTTP API process. Opens the event store, connects to Temporal, serves
// on the configured loopback address until SIGINT/SIGTERM, then closes cleanly.
import { Connection } from '@temporalio/client';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { buildApp } from '../../api/app.js';
import { strataEventSchemas } from '../../domain/event-registry.js';
import { openEventStore } from '../../eventstore/open.js';
import { temporalAddress } from '../../workers/temporal-connection.js';
import type { CliCommand } from '../command.js';

export const apiCommand: CliCommand = {
  name: 'api',
  summary: 'serve the OpenStack-compatible HTTP API',
  usage: 'usage: strata api\n\nListens on api.host:api.port (STRATA_API_HOST / STRATA_API_PORT).',
  async run(args, { config }) {
    parseArgs({ args, options: {}, allowPositionals: false });
    const events = openEventStore(config, strataEventSchemas());
    const temporal = Connection.lazy({ address: temporalAddress(config) });
    const app = await buildApp({
      logger: true,
      readiness: [
        { name: 'temporal', check: async () => void (await temporal.workflowService.getSystemInfo({})) },
        { name: 'eventstore', check: async () => void (await events.headPosition()) },
      ],
    });
    await app.listen({ host: config.api.host, port: config.api.port });
    await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
    await app.close();
    await temporal.close();
    await events.close();
    return 0;
  },
};
