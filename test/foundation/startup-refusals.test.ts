// strata refuses to start, naming the file and the fault, when an authorization file or
// the event store is unusable — it never runs without the protections it was told to use.
import { execa } from 'execa';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'strata-refuse-'));

async function startApi(env: Record<string, string>) {
  return execa('node', ['--import', 'tsx', 'cli/main.ts', 'api'], {
    env: { STRATA_DATA_DIR: join(dir, 'data'), STRATA_API_PORT: '1', ...env },
    reject: false,
    timeout: 60_000,
  });
}

describe('start-up refusals', () => {
  it('refuses a property protection file that does not exist', async () => {
    const file = join(dir, 'missing.conf');
    const result = await startApi({ STRATA_POLICY_PROPERTY_PROTECTION_FILE: file });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`property protection file ${file}: file not found`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses a protection section that does not define every operation', async () => {
    const file = join(dir, 'partial.conf');
    writeFileSync(file, '[^x_owner_.*]\ncreate = admin\nread = admin\nupdate = admin\n');
    const result = await startApi({ STRATA_POLICY_PROPERTY_PROTECTION_FILE: file });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`property protection file ${file}: .*delete`));
  });

  it('refuses a policy file that cannot be read', async () => {
    const file = join(dir, 'policy.yaml');
    const result = await startApi({ STRATA_POLICY_FILE: file });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(file);
  });

  it('refuses an event store file that is not a strata event store', async () => {
    const file = join(dir, 'events.db');
    writeFileSync(file, 'this is not a database '.repeat(100));
    const result = await startApi({ STRATA_EVENT_STORE_SQLITE_PATH: file });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(file);
  });
});
