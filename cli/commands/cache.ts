// `strata cache list|prune`: a compute host's image cache. By default through Temporal —
// the host's own worker lists or prunes its `_base`, so this works from any machine that
// reaches Temporal; `--local` works on the host directory under this machine's dataDir
// instead (no worker needed, and safe next to a running one: every removal takes the
// base's lock).
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { CacheListing, PruneResult } from '../../activities/launch/cache-prune.js';
import { listCache, pruneCache } from '../../activities/launch/cache-prune.js';
import { hostLayoutFor } from '../../activities/launch/host-wiring.js';
import { computeHostName } from '../../config/paths.js';
import type { StrataConfig } from '../../config/schema.js';
import { withTemporalClient } from '../../workers/temporal-connection.js';
import { listImageCache, pruneImageCache } from '../../workflows/prune-image-cache.js';
import { CONTROL_TASK_QUEUE } from '../../workflows/task-queues.js';
import { printOutcome, type CliCommand } from '../command.js';

const usage = `usage:
  strata cache list  [--host NAME] [--local] [--json]
  strata cache prune [--host NAME] [--min-age SECONDS] [--local] [--json]

list   the host's cached base images: image, format, size, last use, instances using it,
       and partial downloads
prune  removes bases no instance on the host uses whose last use is older than the
       minimum age (default compute.imageCacheMinAgeSeconds), and old partial downloads

--host   the compute host (default: compute.host / the OS hostname)
--local  work on <dataDir>/hosts/<host> directly instead of through the host's worker
--json   print the result as JSON`;

type Action = 'list' | 'prune';

function run(config: StrataConfig, action: Action, host: string, local: boolean, minAgeSeconds: number): Promise<CacheListing | PruneResult> {
  const hostConfig = { ...config, compute: { ...config.compute, host } };
  if (local && action === 'list') return listCache(hostLayoutFor(hostConfig));
  if (local) return pruneCache(hostLayoutFor(hostConfig), { minAgeSeconds });
  const options = { taskQueue: CONTROL_TASK_QUEUE, workflowId: `cache-${action}-${host}-${randomUUID()}` };
  return withTemporalClient<CacheListing | PruneResult>(config, (client) =>
    action === 'list'
      ? client.workflow.execute(listImageCache, { ...options, args: [host] })
      : client.workflow.execute(pruneImageCache, { ...options, args: [{ host, minAgeSeconds }] }),
  );
}

function mebibytes(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

export function formatListing(listing: CacheListing): string {
  const rows = listing.bases.map((base) => [
    base.name,
    base.imageId ?? '?',
    base.format ?? '?',
    mebibytes(base.sizeBytes),
    base.lastUsedAt,
    base.inUseBy.length === 0 ? '-' : base.inUseBy.join(','),
  ]);
  const header = ['base', 'image', 'format', 'size', 'last used', 'in use by'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)));
  const table = [header, ...rows].map((row) => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd());
  const partials = listing.partials.map(
    (partial) => `partial download ${partial.name}: ${mebibytes(partial.bytes)}, ${partial.downloadingPid === null ? `interrupted (last written ${partial.modifiedAt})` : `in progress (pid ${partial.downloadingPid})`}`,
  );
  return [`image cache ${listing.baseDir}: ${listing.bases.length} base(s)`, ...(rows.length > 0 ? table : []), ...partials].join('\n');
}

export function formatPrune(result: PruneResult): string {
  const removed = result.removed.map((entry) => `removed ${entry.name} (${entry.reason === 'partial' ? 'partial download' : `image ${entry.imageId ?? '?'}`}, ${mebibytes(entry.sizeBytes)})`);
  const kept = result.kept.map((entry) => `kept ${entry.name} (image ${entry.imageId ?? '?'}): ${entry.reason}`);
  const freed = result.removed.reduce((total, entry) => total + entry.sizeBytes, 0);
  return [...removed, ...kept, `${result.removed.length} removed (${mebibytes(freed)} freed), ${result.kept.length} kept`].join('\n');
}

export const cacheCommand: CliCommand = {
  name: 'cache',
  summary: "list or prune a compute host's image cache",
  usage,
  async run(args, { config }) {
    const { positionals, values } = parseArgs({
      args,
      options: { host: { type: 'string' }, local: { type: 'boolean', default: false }, json: { type: 'boolean', default: false }, 'min-age': { type: 'string' } },
      allowPositionals: true,
    });
    const [action, ...extra] = positionals;
    const minAgeSeconds = values['min-age'] === undefined ? config.compute.imageCacheMinAgeSeconds : Number(values['min-age']);
    if ((action !== 'list' && action !== 'prune') || extra.length > 0 || !Number.isFinite(minAgeSeconds) || minAgeSeconds < 0) {
      console.error(usage);
      return 2;
    }
    const host = values.host ?? computeHostName(config);
    return printOutcome(`cache ${action}`, values.json, () => run(config, action, host, values.local, minAgeSeconds), (result) =>
      'bases' in result ? formatListing(result) : formatPrune(result),
    );
  },
};
