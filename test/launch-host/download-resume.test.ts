// A download cut half-way, retried by Temporal itself: the retry finds the heartbeat
// details of the failed attempt and asks the source only for the rest.
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ImageSource } from '../../activities/launch/image-source.js';
import type { ImageSnapshot } from '../../domain/compute/instance.js';
import { computeTaskQueue } from '../../workflows/task-queues.js';
import { cacheImageOnHost } from './cache-image-workflow.js';
import { digestOf, guestFiles, imageOf, useHostLab } from './host-lab.js';
import { useTemporalWorkers } from './temporal-workers.js';

const lab = useHostLab();

/** Serves the UEFI guest image; the first connection dies after half the bytes, slowly enough to checkpoint first. */
function sourceCutOnce(size: number) {
  const opened: number[] = [];
  const source: ImageSource = {
    async open(_imageId, offset) {
      opened.push(offset);
      const stream = createReadStream(guestFiles.uefiRaw, { start: offset, highWaterMark: 256 * 1024 });
      if (opened.length > 1) return { stream, offset, origin: 'file' };
      async function* cut() {
        let sent = 0;
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          if (sent + chunk.length > size / 2) throw new Error('connection reset');
          sent += chunk.length;
          yield chunk;
          await new Promise((done) => setTimeout(done, 40));
        }
      }
      return { stream: Readable.from(cut()), offset, origin: 'cut' };
    },
  };
  return { source, opened };
}

describe('ensureImageCached retried by Temporal', () => {
  const host = `resume-${randomUUID().slice(0, 8)}`;
  const queue = `resume-test-${randomUUID()}`;
  let cut: ReturnType<typeof sourceCutOnce>;
  let image: ImageSnapshot;
  const temporal = useTemporalWorkers(async () => {
    image = await imageOf(guestFiles.uefiRaw, 'raw');
    cut = sourceCutOnce(image.size);
    const { activities } = lab.host({ source: cut.source });
    return [
      { taskQueue: queue, workflowsPath: new URL('./cache-image-workflow.ts', import.meta.url).pathname },
      { taskQueue: computeTaskQueue(host), activities: { ensureImageCached: activities.ensureImageCached } },
    ];
  });

  it('resumes from the bytes the failed attempt reported durable', { timeout: 60_000 }, async () => {
    const instanceId = randomUUID();
    const step = lab.step(instanceId, 'ensureImageCached');
    const base = await temporal.client().workflow.execute(cacheImageOnHost, { taskQueue: queue, workflowId: `cache-${instanceId}`, args: [host, step, image] });
    expect(cut.opened).toHaveLength(2);
    expect(cut.opened[0]).toBe(0);
    expect(cut.opened[1]).toBeGreaterThan(0);
    expect(cut.opened[1]).toBeLessThanOrEqual(image.size / 2);
    expect(await digestOf(base.path, 'sha512')).toBe(image.osHashValue);
    console.info(`resumed at byte ${cut.opened[1]} of ${image.size}`);
  });
});
