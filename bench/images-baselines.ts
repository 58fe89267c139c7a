// What image transfer is measured against, on the same bytes and disk in the same run:
// writing them (with fsync), hashing them (md5 + sha512, one pass), and serving them over
// loopback HTTP with no processing at all.
import { execa } from 'execa';
import { once } from 'node:events';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';

const CHUNK = 1024 * 1024;
const MiB = 1024 * 1024;

/** Random bytes, written from a repeated 64 MiB random block (generating 1 GiB would dominate). */
export async function writeRandomFile(path: string, bytes: number): Promise<void> {
  const block = randomBytes(64 * MiB);
  const out = createWriteStream(path);
  for (let written = 0; written < bytes; written += block.length) {
    if (!out.write(block.subarray(0, Math.min(block.length, bytes - written)))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  // Clean in the page cache: the first measurement must not pay for this file's writeback.
  const handle = await open(path, 'r');
  await handle.sync();
  await handle.close();
}

/** MB/s (10^6 bytes) of `bytes` moved in `seconds`. */
export function megabytesPerSecond(bytes: number, seconds: number): number {
  return bytes / 1e6 / seconds;
}

export async function timed(action: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await action();
  return (performance.now() - started) / 1000;
}

/** (a) Copy the file next to itself and fsync the copy: what the disk takes. */
export async function writeRate(source: string, target: string): Promise<number> {
  const seconds = await timed(async () => {
    await pipeline(createReadStream(source, { highWaterMark: CHUNK }), createWriteStream(target, { highWaterMark: CHUNK }));
    const handle = await open(target, 'r');
    await handle.sync();
    await handle.close();
  });
  return megabytesPerSecond((await stat(source)).size, seconds);
}

/** (b) md5 and sha512 of the file in one pass: what hashing takes. */
export async function hashRate(source: string): Promise<number> {
  const seconds = await timed(async () => {
    const md5 = createHash('md5');
    const sha512 = createHash('sha512');
    for await (const chunk of createReadStream(source, { highWaterMark: CHUNK })) {
      md5.update(chunk as Buffer);
      sha512.update(chunk as Buffer);
    }
    md5.digest();
    sha512.digest();
  });
  return megabytesPerSecond((await stat(source)).size, seconds);
}

/** (c) A bare HTTP server streaming the file to curl over loopback. */
export async function bareServeRate(file: string): Promise<number> {
  const size = (await stat(file)).size;
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': size });
    // curl may close as soon as it has every byte, before the response's own finish: curl's exit code is the verdict.
    pipeline(createReadStream(file, { highWaterMark: CHUNK }), response).catch(() => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    return megabytesPerSecond(size, await timed(() => execa('curl', ['-sS', '-f', '-o', '/dev/null', url])));
  } finally {
    server.close();
  }
}
