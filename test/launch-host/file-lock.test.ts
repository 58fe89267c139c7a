// The cross-process lock of the image cache: exclusive, released only by its owner, and
// taken over from an owner that died — including one whose pid now names another process.
import { execa } from 'execa';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileLock, LockTimeoutError, lockHolder } from '../../activities/launch/file-lock.js';

let scratch = '';
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'strata-lock-'));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

let counter = 0;
const lockPath = () => join(scratch, `lock-${++counter}`);

async function exitedPid(): Promise<number> {
  const child = execa('true');
  const { pid } = child;
  await child;
  if (pid === undefined) throw new Error('no pid');
  return pid;
}

describe('FileLock', () => {
  it('is exclusive while held, and free again once released', async () => {
    const path = lockPath();
    const first = await FileLock.tryAcquire(path);
    expect(first).not.toBeNull();
    expect(await FileLock.tryAcquire(path)).toBeNull();
    expect(await lockHolder(path)).toBe(process.pid);
    await first?.release();
    expect(await lockHolder(path)).toBeNull();
    const second = await FileLock.tryAcquire(path);
    expect(second).not.toBeNull();
    await second?.release();
  });

  it('waits for the holder, reporting it, and times out with the holder named', async () => {
    const path = lockPath();
    const held = await FileLock.tryAcquire(path);
    const waits: number[] = [];
    const releasing = new Promise<void>((done) => setTimeout(() => void held?.release().then(done), 300));
    const next = await FileLock.acquire(path, { timeoutMs: 5_000, pollMs: 20, onWait: ({ pid }) => waits.push(pid) });
    await releasing;
    expect(waits.length).toBeGreaterThan(3);
    expect(new Set(waits)).toEqual(new Set([process.pid]));
    await expect(FileLock.acquire(path, { timeoutMs: 200, pollMs: 20 })).rejects.toThrow(LockTimeoutError);
    await expect(FileLock.acquire(path, { timeoutMs: 200, pollMs: 20 })).rejects.toThrow(`by pid ${process.pid}`);
    await next.release();
  });

  it('takes over a lock whose owner died, and one whose pid was reused by another process', async () => {
    for (const owner of [{ pid: await exitedPid(), startTime: '1' }, { pid: process.pid, startTime: 'not-this-process' }]) {
      const path = lockPath();
      await writeFile(path, JSON.stringify({ ...owner, token: 'stale' }));
      expect(await lockHolder(path)).toBeNull();
      const lock = await FileLock.tryAcquire(path);
      expect(lock).not.toBeNull();
      expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({ pid: process.pid });
      await lock?.release();
    }
  });

  it('treats a lock file being written (no owner yet) as held, and never releases a lock it does not own', async () => {
    const path = lockPath();
    await writeFile(path, '');
    expect(await FileLock.tryAcquire(path)).toBeNull();
    await rm(path);
    const lock = await FileLock.tryAcquire(path);
    // Someone broke our lock and took it: our release must leave theirs alone.
    await writeFile(path, JSON.stringify({ pid: process.pid, startTime: 'x', token: 'theirs' }));
    await lock?.release();
    expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({ token: 'theirs' });
  });

  it('lets exactly one of many concurrent takers take over a stale lock', async () => {
    const path = lockPath();
    await writeFile(path, JSON.stringify({ pid: await exitedPid(), startTime: '1', token: 'stale' }));
    const attempts = await Promise.all(Array.from({ length: 10 }, () => FileLock.tryAcquire(path)));
    expect(attempts.filter((lock) => lock !== null)).toHaveLength(1);
    await attempts.find((lock) => lock !== null)?.release();
  });
});
