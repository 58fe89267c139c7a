// `strata worker control|compute|storage`: one Temporal worker per process, for
// deployments that spread the parts over many machines.
import { parseArgs } from 'node:util';
import { validateConfig } from '../../config/load.js';
import type { CliCommand } from '../command.js';
import { runComputeWorker } from '../../workers/compute.js';
import { runControlWorker } from '../../workers/control.js';
import { runStorageWorker } from '../../workers/storage.js';

const usage = `usage:
  strata worker control
  strata worker compute [--host NAME] [--az ZONE]   (defaults: compute.host / OS hostname, compute.availabilityZone)
  strata worker storage [--node NAME]               (default: storage.node)`;

export const workerCommand: CliCommand = {
  name: 'worker',
  summary: 'run a control, compute or storage worker',
  usage,
  async run(args, { config }) {
    const [kind, ...rest] = args;
    const { values } = parseArgs({
      args: rest,
      options: { host: { type: 'string' }, az: { type: 'string' }, node: { type: 'string' } },
      allowPositionals: false,
    });
    switch (kind) {
      case 'control':
        await runControlWorker(config);
        return 0;
      case 'compute':
        await runComputeWorker(
          validateConfig(
            { ...config, compute: { ...config.compute, host: values.host ?? config.compute.host, availabilityZone: values.az ?? config.compute.availabilityZone } },
            () => 'command line',
          ),
        );
        return 0;
      case 'storage':
        await runStorageWorker(validateConfig({ ...config, storage: { ...config.storage, node: values.node ?? config.storage.node } }, () => 'command line'));
        return 0;
      default:
        console.error(usage);
        return 2;
    }
  },
};
