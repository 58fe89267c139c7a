// `strata image upload <file> --name NAME`: creates an image and uploads a local file
// into it through the image API, with a progress bar on stderr. Credentials come from the
// usual OS_* variables, or else the configured admin (as `strata up` prints them).
import { createReadStream, statSync } from 'node:fs';
import { extname } from 'node:path';
import { Transform } from 'node:stream';
import { parseArgs } from 'node:util';
import type { StrataConfig } from '../../config/schema.js';
import { DISK_FORMATS } from '../../domain/image/vocabulary.js';
import { openApiSession } from '../api-session.js';
import type { CliCommand } from '../command.js';

const usage = `usage: strata image upload <file> --name NAME [--disk-format FMT] [--container-format FMT]
                           [--visibility VIS] [--property KEY=VALUE]...

The disk format defaults to the file's extension (qcow2, iso, vmdk, vhd, vhdx, vdi), else raw.
Authenticates as OS_USERNAME / OS_PASSWORD / OS_PROJECT_NAME at OS_AUTH_URL when set,
otherwise as the configured admin.`;

const BAR_WIDTH = 30;
const REDRAW_MS = 200;
const MiB = 1024 * 1024;

/** One line of progress: bar, percentage, MiB done of total, rate and time left. */
export function progressLine(done: number, total: number, elapsedSeconds: number): string {
  const fraction = total === 0 ? 1 : Math.min(1, done / total);
  const filled = Math.round(fraction * BAR_WIDTH);
  const rate = elapsedSeconds > 0 ? done / elapsedSeconds : 0;
  const left = rate > 0 ? Math.ceil((total - done) / rate) : null;
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]`;
  const eta = left === null ? '' : ` ETA ${left}s`;
  return `${bar} ${(fraction * 100).toFixed(0).padStart(3)}% ${(done / MiB).toFixed(1)}/${(total / MiB).toFixed(1)} MiB ${(rate / MiB).toFixed(1)} MiB/s${eta}`;
}

function diskFormatOf(file: string): string {
  const extension = extname(file).slice(1).toLowerCase();
  return (DISK_FORMATS as readonly string[]).includes(extension) ? extension : 'raw';
}

async function expectOk(response: Response, what: string): Promise<void> {
  if (!response.ok) throw new Error(`${what}: HTTP ${response.status} ${(await response.text()).slice(0, 500)}`);
}

/** Streams the file, redrawing the bar on a terminal and printing every 10% elsewhere. */
function withProgress(file: string, total: number): Transform {
  const started = performance.now();
  const interactive = process.stderr.isTTY;
  let done = 0;
  let lastDraw = 0;
  let lastTenth = -1;
  const draw = (final: boolean) => {
    const line = progressLine(done, total, (performance.now() - started) / 1000);
    if (interactive) process.stderr.write(`\r${line}${final ? '\n' : ''}`);
    else process.stderr.write(`${line}\n`);
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      done += chunk.length;
      const tenth = Math.floor((done / Math.max(total, 1)) * 10);
      if (interactive ? performance.now() - lastDraw >= REDRAW_MS : tenth > lastTenth) {
        lastDraw = performance.now();
        lastTenth = tenth;
        if (done < total) draw(false);
      }
      callback(null, chunk);
    },
    flush(callback) {
      draw(true);
      callback();
    },
  }).once('pipe', () => process.stderr.write(`uploading ${file}\n`));
}

async function upload(args: string[], config: StrataConfig): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      'disk-format': { type: 'string' },
      'container-format': { type: 'string', default: 'bare' },
      visibility: { type: 'string' },
      property: { type: 'string', multiple: true, default: [] },
    },
  });
  const file = positionals[0];
  if (file === undefined || positionals.length > 1 || values.name === undefined) {
    console.error(usage);
    return 2;
  }
  const properties = Object.fromEntries(values.property.map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]));
  if (values.property.some((entry) => !entry.includes('='))) {
    console.error(`strata image upload: --property takes KEY=VALUE\n\n${usage}`);
    return 2;
  }
  const size = statSync(file).size;
  const session = await openApiSession(config, process.env);
  const imageEndpoint = session.endpoint('image', 'image');
  const headers = { 'x-auth-token': session.token };
  const created = await fetch(`${imageEndpoint}/v2/images`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ ...properties, name: values.name, disk_format: values['disk-format'] ?? diskFormatOf(file), container_format: values['container-format'], ...(values.visibility ? { visibility: values.visibility } : {}) }),
  });
  await expectOk(created, 'creating the image');
  const { id } = (await created.json()) as { id: string };
  const body = createReadStream(file, { highWaterMark: MiB }).pipe(withProgress(file, size));
  // fetch streams an async iterable body; `duplex` is how undici is told so.
  const uploaded = await fetch(`${imageEndpoint}/v2/images/${id}/file`, {
    method: 'PUT',
    headers: { ...headers, 'content-type': 'application/octet-stream', 'content-length': String(size) },
    body: body as unknown as ReadableStream,
    duplex: 'half',
  } satisfies RequestInit & { duplex: 'half' });
  await expectOk(uploaded, `uploading to image ${id}`);
  const shown = await fetch(`${imageEndpoint}/v2/images/${id}`, { headers });
  await expectOk(shown, `reading image ${id}`);
  const image = (await shown.json()) as { status: string; size: number; checksum: string };
  console.log(`image ${id}: ${image.status}, ${image.size} bytes, md5 ${image.checksum}`);
  return 0;
}

export const imageCommand: CliCommand = {
  name: 'image',
  summary: 'upload a local file as a new image, with progress',
  usage,
  async run(args, { config }) {
    const [action, ...rest] = args;
    if (action !== 'upload') {
      console.error(usage);
      return 2;
    }
    try {
      return await upload(rest, config);
    } catch (error) {
      console.error(`strata image upload: ${error instanceof Error ? error.message : String(error)}`);
      return 1;
    }
  },
};
