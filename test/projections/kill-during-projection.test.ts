// Crash safety: a projecting process killed with SIGKILL at random moments, while events
// are still being appended, resumes from its checkpoint and ends with a read model equal
// to a rebuild — no event lost, none applied twice (the counting projection's
// one-row-per-position table would fail the projection on a second application).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import type { EventStore } from '../../eventstore/port.js';
import { auditProjection } from '../../projections/audit.js';
import { prepareCheckpoints } from '../../projections/checkpoints.js';
import { rebuildProjection } from '../../projections/rebuild.js';
import { counterEvent, countingProjection, tableRows } from './fixtures/counters.js';
import { createWorkspace, eventually } from './fixtures/workspace.js';

const PROJECTING_PROCESS = fileURLToPath(new URL('./fixtures/projecting-process.ts', import.meta.url));
const MAX_APPENDS = 20_000;
const EVENTS_PER_APPEND = 3;
const KILLS = 5;

interface Projector {
  /** The process running the runner (behind npx and tsx's launcher). */
  pid: number;
  launcher: ChildProcess;
  exited: Promise<unknown>;
  following: Promise<void>;
  stderr: string[];
}

async function launchProjector(eventsPath: string, readModelPath: string): Promise<Projector> {
  const launcher = spawn('npx', ['tsx', PROJECTING_PROCESS, eventsPath, readModelPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = once(launcher, 'exit');
  const stderr: string[] = [];
  createInterface({ input: launcher.stderr }).on('line', (line) => stderr.push(line));
  const lines = createInterface({ input: launcher.stdout });
  let reportPid: (pid: number) => void = () => {};
  let reportFollowing: () => void = () => {};
  const pid = new Promise<number>((resolve) => (reportPid = resolve));
  const following = new Promise<void>((resolve) => (reportFollowing = resolve));
  lines.on('line', (line) => {
    const match = /^pid (\d+)$/.exec(line);
    if (match) reportPid(Number(match[1]));
    if (line === 'following') reportFollowing();
  });
  const started = await Promise.race([pid, exited.then(() => null), sleep(30_000, null)]);
  if (started === null) throw new Error(`projecting process did not start: ${stderr.join('\n')}`);
  return { pid: started, launcher, exited, following, stderr };
}

/** Appends until `done` says stop (bounded by MAX_APPENDS); returns the head position. */
async function appendSteadily(store: EventStore, done: () => boolean): Promise<number> {
  let head = 0;
  for (let index = 0; index < MAX_APPENDS && !done(); index += 1) {
    const events = Array.from({ length: EVENTS_PER_APPEND }, (_, n) => counterEvent(index + n));
    const { positions } = await store.append(`counter-${index % 50}`, events, { expected: 'any' });
    head = positions.at(-1) ?? head;
    if (index % 10 === 0) await sleep(2);
  }
  return head;
}

it('a projecting process killed with SIGKILL mid-stream resumes without losing or repeating an event', { timeout: 180_000 }, async () => {
  const workspace = createWorkspace();
  const readModelPath = join(workspace.dir, 'read-model.db');
  const alive = new Set<number>();
  const store = workspace.openStore();
  let killing = true;
  const appending = appendSteadily(store, () => !killing);
  try {
    const readModel = workspace.openReadModel();
    const checkpoints = prepareCheckpoints(readModel);
    const positionOf = () => checkpoints.get('counters')?.position ?? 0;

    const killedAt: number[] = [];
    for (let kill = 0; kill < KILLS; kill += 1) {
      const projector = await launchProjector(workspace.eventsPath, readModelPath);
      alive.add(projector.pid);
      const before = positionOf();
      await eventually(() => positionOf() > before, 30_000, `progress after restart ${kill}`).catch((error: unknown) => {
        throw new Error(`${String(error)}; projecting process said:\n${projector.stderr.join('\n')}`);
      });
      await sleep(Math.random() * 300);
      process.kill(projector.pid, 'SIGKILL');
      await projector.exited;
      alive.delete(projector.pid);
      killedAt.push(positionOf());
    }
    killing = false;
    const head = await appending;
    expect(head).toBeGreaterThan(1_000);
    // Every kill landed while the log was still growing beyond what had been projected.
    expect(killedAt.every((position) => position < head), `killed at ${killedAt.join(', ')} of ${head}`).toBe(true);

    const last = await launchProjector(workspace.eventsPath, readModelPath);
    alive.add(last.pid);
    await last.following;
    await eventually(() => positionOf() === head && checkpoints.get('audit')?.position === head, 30_000, 'catch-up');
    process.kill(last.pid, 'SIGTERM');
    const [code] = (await last.exited) as [number | null];
    alive.delete(last.pid);
    expect(code, last.stderr.join('\n')).toBe(0);

    expect(checkpoints.all().map((checkpoint) => checkpoint.failure)).toEqual([null, null]);
    expect(readModel.prepare('SELECT count(*) FROM counter_applied').pluck().get()).toBe(head);
    const rebuilt = workspace.openReadModel('rebuilt.db');
    for (const projection of [auditProjection, countingProjection()]) await rebuildProjection(rebuilt, store, projection);
    for (const table of ['counter_streams', 'counter_applied', 'audit_history']) {
      expect(tableRows(readModel, table), table).toEqual(tableRows(rebuilt, table));
    }
  } finally {
    killing = false;
    await appending.catch(() => {});
    for (const pid of alive) process.kill(pid, 'SIGKILL');
    await workspace.dispose();
  }
});
