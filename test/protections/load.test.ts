// Loading the protection file at start-up: anything wrong stops strata with the file named.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPolicy } from '../../domain/policy/load-policy.js';
import { loadPropertyProtections, PropertyProtectionsFileError } from '../../domain/protections/load.js';
import { parseProtections } from '../../domain/protections/protections.js';
import { GLANCE_SAMPLE_POLICIES_CONF, GLANCE_TEST_POLICIES_CONF, GLANCE_TEST_ROLES_CONF } from './glance-samples.js';

const directory = mkdtempSync(join(tmpdir(), 'strata-protections-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
const { enforcer } = loadPolicy();

function file(name: string, text: string): string {
  const path = join(directory, name);
  writeFileSync(path, text);
  return path;
}

describe('loadPropertyProtections', () => {
  it('loads a valid file', () => {
    const loaded = loadPropertyProtections(file('roles.conf', GLANCE_TEST_ROLES_CONF), 'roles', enforcer);
    const parsed = parseProtections(GLANCE_TEST_ROLES_CONF, 'roles');
    expect(parsed.ok && loaded).toEqual(parsed.ok && parsed.protections);
  });

  it('loads a policies file whose policies all exist', () => {
    const loaded = loadPropertyProtections(file('policies.conf', GLANCE_SAMPLE_POLICIES_CONF), 'policies', enforcer);
    expect(loaded.sections.map((section) => section.pattern)).toEqual(['^x_.*', '.*']);
  });

  it.each([
    ['is missing', () => join(directory, 'absent.conf'), 'roles', 'file not found'],
    ['is invalid', () => file('bad.conf', '[foo]\ncreate = @\n'), 'roles', '[foo] (line 1): no "read" permission'],
    ['names policies that do not exist', () => file('unknown.conf', GLANCE_TEST_POLICIES_CONF), 'policies', 'no policy rule named "glance_creator"'],
  ] as const)('refuses to start when the file %s', (_what, path, format, fault) => {
    const where = path();
    const load = (): unknown => loadPropertyProtections(where, format, enforcer);
    expect(load).toThrow(PropertyProtectionsFileError);
    expect(load).toThrow(`property protection file ${where}: ${fault}`);
  });
});
