// `strata up` for real: every part starts, /readyz and the Temporal UI answer, and a
// Ctrl-C leaves no process behind.
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { commandLineOf, descendantsOf, isAlive } from '../support/processes.js';
import { startStrata } from '../support/strata-up.js';

describe('strata up', () => {
  it('starts every part, answers /readyz, and Ctrl-C stops every process it started', { timeout: 240_000 }, async () => {
    const { process: up, output, apiUrl, uiUrl } = await startStrata();
    const readyz = await fetch(`${apiUrl}/readyz`);
    expect(readyz.status).toBe(200);
    expect(await readyz.json()).toMatchObject({ status: 'ready', parts: [{ name: 'temporal', ok: true }, { name: 'eventstore', ok: true }] });
    expect((await fetch(uiUrl)).status).toBe(200);
    for (const line of ['OS_AUTH_URL', 'OS_USERNAME', 'OS_PASSWORD', 'OS_PROJECT_NAME', 'OS_USER_DOMAIN_NAME', 'OS_PROJECT_DOMAIN_NAME']) {
      expect(output()).toMatch(new RegExp(`^export ${line}=\\S+$`, 'm'));
    }
    expect(output()).toMatch(/^export OS_IDENTITY_API_VERSION=3$/m);

    const started = descendantsOf(up.pid as number);
    const commands = started.map(commandLineOf).join('\n');
    for (const part of ['server start-dev', 'worker control', 'worker compute', 'worker storage', 'cli/main.ts api']) expect(commands).toContain(part);

    up.kill('SIGINT');
    const result = await up;
    expect(result.exitCode).toBe(0);
    await sleep(200);
    expect(started.filter(isAlive).map(commandLineOf)).toEqual([]);
  });

  it('stops everything and fails when one part dies', { timeout: 240_000 }, async () => {
    const { process: up } = await startStrata();
    const started = descendantsOf(up.pid as number);
    const api = started.find((pid) => commandLineOf(pid).endsWith('cli/main.ts api'));
    expect(api).toBeDefined();
    process.kill(api as number, 'SIGKILL');
    const result = await up;
    expect(result.exitCode).toBe(1);
    expect(result.all).toMatch(/api exited \(SIGKILL\); stopping everything/);
    await sleep(200);
    expect(started.filter(isAlive).map(commandLineOf)).toEqual([]);
  });
});
