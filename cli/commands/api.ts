// `strata api`: the HTTP API process. Opens the event store and the read model, connects
// to Temporal, serves on the configured address until SIGINT/SIGTERM, then closes cleanly.
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { buildApp } from '../../api/app.js';
import { openApiContext } from '../../api/context.js';
import { loadAuthorization } from '../../api/policy.js';
import { createServices } from '../../api/services.js';
import type { CliCommand } from '../command.js';

export const apiCommand: CliCommand = {
  name: 'api',
  summary: 'serve the OpenStack-compatible HTTP API',
  usage: 'usage: strata api\n\nListens on api.host:api.port (STRATA_API_HOST / STRATA_API_PORT).',
  async run(args, { config }) {
    parseArgs({ args, options: {}, allowPositionals: false });
    const authorization = loadAuthorization(config);
    const context = await openApiContext(config);
    const services = await createServices(context, authorization);
    const app = await buildApp({ logger: true, readiness: context.readiness, services });
    await app.listen({ host: config.api.host, port: config.api.port });
    await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
    await app.close();
    await context.close();
    return 0;
  },
};
