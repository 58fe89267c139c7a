// The real `openstack` CLI (Debian's python3-openstackclient, on /usr/bin/python3).
import { execa } from 'execa';

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export async function openstack(env: Record<string, string>, args: string[]): Promise<CliResult> {
  const result = await execa('/usr/bin/openstack', args, {
    env: { ...env, PATH: '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', OS_CLOUD: '' },
    extendEnv: false,
    // Without --file, `image create` reads image data from stdin: give it none.
    input: '',
    reject: false,
    timeout: 120_000,
  });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** Runs a command with `-f json` and parses its output; fails with the CLI's own words. */
export async function openstackJson<T = Record<string, unknown>>(env: Record<string, string>, args: string[]): Promise<T> {
  const result = await openstack(env, [...args, '-f', 'json']);
  if (result.exitCode !== 0) throw new Error(`openstack ${args.join(' ')} failed (${result.exitCode}): ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}
