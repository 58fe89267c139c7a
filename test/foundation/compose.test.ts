// No Docker engine runs here, so the production shape is checked statically: every strata
// service in docker-compose.yml runs a sub-command the CLI really has.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { findCommand } from '../../cli/registry.js';
import { applyEnvironment, validateConfig } from '../../config/load.js';

interface Service {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
}

const compose = parse(readFileSync('docker-compose.yml', 'utf8'), { merge: true }) as { services: Record<string, Service> };
const strataServices = Object.entries(compose.services).filter(([, service]) => service.image === 'strata:latest');

describe('docker-compose.yml', () => {
  it('describes the production shape', () => {
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['temporal', 'temporal-ui', 'kurrentdb', 'postgresql']));
    expect(strataServices.map(([, service]) => service.command?.slice(0, 2).join(' ')).sort()).toEqual([
      'api',
      'worker compute',
      'worker control',
      'worker storage',
    ]);
  });

  it.each(strataServices)('%s runs a command the CLI has, with a valid configuration', (_name, service) => {
    const [name, kind] = service.command ?? [];
    const command = findCommand(name ?? '');
    expect(command, `strata ${name ?? ''}`).toBeDefined();
    if (name === 'worker') expect(command?.usage).toContain(`strata worker ${kind ?? ''}`);
    const tree = {};
    applyEnvironment(tree, service.environment ?? {});
    expect(() => validateConfig(tree, () => 'docker-compose.yml')).not.toThrow();
  });
});
