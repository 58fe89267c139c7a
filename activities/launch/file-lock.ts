// A lock between processes that share a host directory: the lock file is created with
// O_EXCL and names its owner (pid, the process's start time, a random token). A lock
// whose owner died is taken over; the pid's start time tells a reused pid apart. Breaking
// a stale lock is itself guarded by a `.breaking` file, so two waiters that both see the
// dead owner cannot each remove a lock the other one has just taken.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { open, readFile, rm, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

interface LockOwner {
  pid: number;
  startTime: string;
  token: string;
}

export interface AcquireOptions {
  /** Give up (LockTimeoutError) after this long. */
  timeoutMs: number;
  pollMs?: number;
  /** Called on every poll while another live process holds the lock. */
  onWait?: (holder: { pid: number }) => void;
}

export class LockTimeoutError extends Error {
  override name = 'LockTimeoutError';
}

/** A lock file being written right now has no owner yet; only an old one is garbage. */
const unreadableLockGraceMs = 10_000;

/** Field 22 of /proc/<pid>/stat: when the process started, in clock ticks since boot. */
function processStartTime(pid: number | 'self'): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: count after the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

const self = { pid: process.pid, startTime: processStartTime('self') ?? 'unknown' };

function isAlive(owner: LockOwner): boolean {
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return processStartTime(owner.pid) === owner.startTime;
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(text) as Partial<LockOwner>;
    if (typeof owner.pid === 'number' && typeof owner.startTime === 'string' && typeof owner.token === 'string') return owner as LockOwner;
  } catch {
    // Half-written: see unreadableLockGraceMs.
  }
  return undefined;
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Creates path exclusively with our owner record; false when it exists. */
async function createExclusive(path: string, owner: LockOwner): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.writeFile(JSON.stringify(owner));
  } finally {
    await handle.close();
  }
  return true;
}

type Holder = { state: 'free' } | { state: 'held'; pid: number } | { state: 'stale'; text: string };

async function holderOf(path: string): Promise<Holder> {
  const text = await readText(path);
  if (text === undefined) return { state: 'free' };
  const owner = parseOwner(text);
  if (owner) return isAlive(owner) ? { state: 'held', pid: owner.pid } : { state: 'stale', text };
  const age = await stat(path).then(
    (info) => Date.now() - info.mtimeMs,
    () => 0,
  );
  return age > unreadableLockGraceMs ? { state: 'stale', text } : { state: 'held', pid: 0 };
}

/** Removes the lock at path if it still holds staleText, under the `.breaking` guard. */
async function breakStaleLock(path: string, staleText: string): Promise<void> {
  const guard = `${path}.breaking`;
  const breaker: LockOwner = { ...self, token: randomUUID() };
  if (!(await createExclusive(guard, breaker))) {
    // Another waiter is breaking it; a guard left by a breaker that died is garbage.
    if ((await holderOf(guard)).state === 'stale') await rm(guard, { force: true });
    return;
  }
  try {
    // The dead owner cannot release, and nobody can create the lock while it exists:
    // if it still holds the stale text, it is still the stale lock.
    if ((await readText(path)) === staleText) await rm(path, { force: true });
  } finally {
    await rm(guard, { force: true });
  }
}

/** Pid of the live process holding the lock at path, or null when nobody does. */
export async function lockHolder(path: string): Promise<number | null> {
  const holder = await holderOf(path);
  return holder.state === 'held' ? holder.pid : null;
}

export class FileLock {
  private constructor(
    readonly path: string,
    private readonly owner: LockOwner,
  ) {}

  /** Takes the lock now, or returns null while a live process holds it. */
  static async tryAcquire(path: string): Promise<FileLock | null> {
    const owner: LockOwner = { ...self, token: randomUUID() };
    for (let attempt = 0; attempt < 2; attempt++) {
      if (await createExclusive(path, owner)) return new FileLock(path, owner);
      const holder = await holderOf(path);
      if (holder.state === 'held') return null;
      if (holder.state === 'stale') await breakStaleLock(path, holder.text);
    }
    return null;
  }

  static async acquire(path: string, { timeoutMs, pollMs = 100, onWait }: AcquireOptions): Promise<FileLock> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const lock = await FileLock.tryAcquire(path);
      if (lock) return lock;
      const holder = await holderOf(path);
      if (Date.now() >= deadline) {
        throw new LockTimeoutError(`lock ${path} still held${holder.state === 'held' ? ` by pid ${holder.pid}` : ''} after ${timeoutMs} ms`);
      }
      if (holder.state === 'held') onWait?.({ pid: holder.pid });
      await sleep(pollMs);
    }
  }

  /** Removes the lock file only while it is still ours. */
  async release(): Promise<void> {
    const owner = parseOwner((await readText(this.path)) ?? '');
    if (owner?.token === this.owner.token) await rm(this.path, { force: true });
  }
}

export async function withFileLock<T>(path: string, options: AcquireOptions, work: () => Promise<T>): Promise<T> {
  const lock = await FileLock.acquire(path, options);
  try {
    return await work();
  } finally {
    await lock.release();
  }
}
