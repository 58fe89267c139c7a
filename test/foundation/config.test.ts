import { execa } from 'execa';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { documentedVariables } from '../../config/env.js';
import { ConfigError, loadConfig } from '../../config/load.js';

const emptyDir = () => mkdtempSync(join(tmpdir(), 'strata-config-'));

describe('configuration', () => {
  it('runs on embedded defaults with no file and no environment', () => {
    const config = loadConfig({ env: {}, cwd: emptyDir() });
    expect(config.api).toEqual({ host: '127.0.0.1', port: 8770 });
    expect(config.eventStore.adapter).toBe('sqlite');
    expect(config.temporal.address).toBeUndefined();
  });

  it('reads strata.yaml and lets STRATA_* variables override it', () => {
    const cwd = emptyDir();
    writeFileSync(join(cwd, 'strata.yaml'), 'api:\n  port: 9001\ncompute:\n  accelerator: tcg\n');
    const config = loadConfig({ env: { STRATA_API_PORT: '9002', TEMPORAL_ADDRESS: '127.0.0.1:7999' }, cwd });
    expect(config.api.port).toBe(9002);
    expect(config.compute.accelerator).toBe('tcg');
    expect(config.temporal.address).toBe('127.0.0.1:7999');
  });

  it('names the key, where the value came from and what is wrong', () => {
    expect(() => loadConfig({ env: { STRATA_API_PORT: '70000' }, cwd: emptyDir() })).toThrow(/api\.port \(from STRATA_API_PORT\): .*65535/);
    const cwd = emptyDir();
    writeFileSync(join(cwd, 'strata.yaml'), 'compute:\n  accelerator: warp\n');
    expect(() => loadConfig({ env: {}, cwd })).toThrow(/compute\.accelerator \(from .*strata\.yaml\)/);
  });

  it('refuses unknown keys, so a typo is not silently ignored', () => {
    const cwd = emptyDir();
    writeFileSync(join(cwd, 'strata.yaml'), 'api:\n  prot: 1\n');
    expect(() => loadConfig({ env: {}, cwd })).toThrow(ConfigError);
  });

  it('refuses a missing or malformed STRATA_CONFIG file', () => {
    const cwd = emptyDir();
    expect(() => loadConfig({ env: { STRATA_CONFIG: 'nope.yaml' }, cwd })).toThrow(/cannot read config file .*nope\.yaml/);
    writeFileSync(join(cwd, 'bad.yaml'), 'api: [1, 2\n');
    expect(() => loadConfig({ env: { STRATA_CONFIG: 'bad.yaml' }, cwd })).toThrow(/not valid YAML/);
  });

  it('maps every documented variable to a key the schema knows', () => {
    for (const { path, variable } of documentedVariables) {
      expect(variable).toMatch(/^STRATA_[A-Z0-9_]+$/);
      try {
        loadConfig({ env: { [variable]: '1' }, cwd: emptyDir() });
      } catch (error) {
        // A wrong value is fine here; a path the schema does not have is not.
        expect(String(error), path).not.toMatch(/Unrecognized key/i);
        expect(String(error), path).toContain(path);
      }
    }
  });

  it('the CLI exits non-zero and names the key on a bad value', async () => {
    const result = await execa('node', ['--import', 'tsx', 'cli/main.ts', 'api'], {
      env: { STRATA_API_PORT: 'not-a-port' },
      reject: false,
    });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('api.port (from STRATA_API_PORT)');
  });
});
