// Loading an operator's policy file: overrides by name, start-up errors for files that
// cannot be used, warnings (and fail-closed rules) for single bad rules.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Credentials } from '../../domain/policy/credentials.js';
import { loadPolicy } from '../../domain/policy/load-policy.js';
import { PolicyFileError } from '../../domain/policy/policy-document.js';
import { expandImpliedRoles } from '../../domain/policy/roles.js';

const directory = mkdtempSync(join(tmpdir(), 'strata-policy-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function policyFile(name: string, text: string): string {
  const path = join(directory, name);
  writeFileSync(path, text);
  return path;
}

const admin: Credentials = { user_id: 'a', project_id: 'p9', roles: expandImpliedRoles(['admin']) };
const member: Credentials = { user_id: 'm', project_id: 'p1', roles: expandImpliedRoles(['member']) };
const image = { project_id: 'p1', owner: 'p1', visibility: 'private' };

describe('loadPolicy', () => {
  it('uses the defaults when no file is configured', () => {
    const { enforcer, warnings } = loadPolicy();
    expect(warnings).toEqual([]);
    expect(enforcer.enforce('publicize_image', image, member)).toBe(false);
    expect(enforcer.enforce('publicize_image', image, admin)).toBe(true);
  });

  it.each([
    ['policy.yaml', '# operators may open publicizing to members\n"publicize_image": "role:member"\n'],
    ['policy.json', '{"publicize_image": "role:member"}'],
  ])('overrides a default from %s and keeps the others', (name, text) => {
    const { enforcer, warnings } = loadPolicy(policyFile(name, text));
    expect(warnings).toEqual([]);
    expect(enforcer.enforce('publicize_image', image, member)).toBe(true);
    expect(enforcer.enforce('manage_image_cache', {}, member)).toBe(false);
  });

  it.each([
    ['empty', ''],
    ['comments only', '# nothing overridden\n'],
  ])('accepts an %s file as no overrides', (_what, text) => {
    const { enforcer, warnings } = loadPolicy(policyFile('empty.yaml', text));
    expect(warnings).toEqual([]);
    expect(enforcer.enforce('get_image', image, member)).toBe(true);
  });

  it.each([
    ['missing', undefined, /policy file .*absent\.yaml: file not found/],
    ['not YAML', 'a: [unclosed\n', /policy file .*bad\.yaml: neither JSON nor YAML/],
    ['a list', '- role:admin\n', /policy file .*bad\.yaml: must map rule names to rule strings/],
    ['a scalar', 'just text\n', /policy file .*bad\.yaml: must map rule names to rule strings/],
    ['duplicate keys', 'a: "@"\na: "!"\n', /policy file .*bad\.yaml: neither JSON nor YAML/],
  ])('refuses a file that is %s, naming it', (_what, text, message) => {
    const path = text === undefined ? join(directory, 'absent.yaml') : policyFile('bad.yaml', text);
    expect(() => loadPolicy(path)).toThrow(PolicyFileError);
    expect(() => loadPolicy(path)).toThrow(message);
  });

  it.each([
    ['does not parse', '"get_image": "role:admin or"', /rule "role:admin or" does not parse; it fails closed/],
    ['is not a string', '"get_image": 1', /"get_image" is not a string; it fails closed/],
    ['is a list (legacy syntax)', '"get_image": [["role:admin"]]', /"get_image" is not a string; it fails closed/],
    ['is empty', '"get_image":', /"get_image" has no value; it fails closed/],
  ])('warns about a rule that %s and denies it to everyone', (_what, text, warning) => {
    const { enforcer, warnings } = loadPolicy(policyFile('rule.yaml', text));
    expect(warnings.some((line) => warning.test(line))).toBe(true);
    expect(enforcer.enforce('get_image', image, admin)).toBe(false);
    expect(enforcer.enforce('get_images', { project_id: 'p1' }, member)).toBe(true);
  });

  it('warns about references to rules that do not exist', () => {
    const { enforcer, warnings } = loadPolicy(policyFile('ref.yaml', '"get_image": "rule:admin_requried"'));
    expect(warnings).toEqual([
      'policy rule "get_image" refers to undefined rule "admin_requried"; the "default" rule applies instead',
    ]);
    expect(enforcer.enforce('get_image', image, admin)).toBe(false);
  });
});
