// The fault injector: every few seconds kill -9 one running part of the next kind (by the PID the topology
// started, or tgtd's from its pidfile), hold it down for a short random delay, then let the
// keeper start it again. Counts what it did by kind.
import { setTimeout as sleep } from 'node:timers/promises';
import { faultKinds, type FaultKind, type Part } from './topology.js';

export interface FaultOptions {
  /** Stop after this many faults… */
  faults: number;
  /** …or at this time (ms since epoch), whichever comes first. */
  until: number;
  /** Pause between faults, uniformly random in [min, max]. */
  intervalMs: [number, number];
  /** How long a killed part stays down before the keeper may restart it. */
  downMs: [number, number];
  /** Kinds to choose from (all by default). */
  kinds?: readonly FaultKind[];
  log?: (line: string) => void;
}

export interface FaultLog {
  injected: number;
  byKind: Record<FaultKind, number>;
  /** Picks that found the part not running (tgtd before any export, a part mid-restart). */
  skipped: Record<FaultKind, number>;
}

const between = ([min, max]: [number, number]) => min + Math.random() * (max - min);

function shuffled<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

export function emptyFaultLog(): FaultLog {
  const zero = () => Object.fromEntries(faultKinds.map((kind) => [kind, 0])) as Record<FaultKind, number>;
  return { injected: 0, byKind: zero(), skipped: zero() };
}

export async function injectFaults(parts: readonly Part[], options: FaultOptions, log = emptyFaultLog(), signal?: AbortSignal): Promise<FaultLog> {
  const kinds = options.kinds ?? faultKinds;
  const restarts: Promise<void>[] = [];
  const turns: FaultKind[] = [];
  await sleep(between(options.intervalMs));
  while (log.injected < options.faults && Date.now() < options.until && !signal?.aborted) {
    // Kinds take turns (shuffled each round), so even a short run hits every kind; one with
    // nothing running now (tgtd runs only while a volume is exported) costs no interval.
    if (turns.length === 0) turns.push(...shuffled(kinds));
    const kind = turns.shift() as FaultKind;
    const candidates = parts.filter((part) => part.kind === kind && !part.held && part.pid() !== undefined);
    const part = candidates[Math.floor(Math.random() * candidates.length)];
    if (!part || !part.kill9()) {
      log.skipped[kind] += 1;
      await sleep(50);
      continue;
    }
    log.injected += 1;
    log.byKind[kind] += 1;
    options.log?.(`fault ${log.injected}: kill -9 ${part.name}`);
    part.held = true;
    restarts.push(sleep(between(options.downMs)).then(() => void (part.held = false)));
    await sleep(between(options.intervalMs));
  }
  await Promise.all(restarts);
  return log;
}
