// Reading protection files: the INI dialect (Python configparser's), the value syntax of
// both formats, and every way a file is invalid, each with a message naming the fault.
import { describe, expect, it } from 'vitest';
import { parseProtections, type Permission, type ProtectionFormat } from '../../domain/protections/protections.js';

const ALL = (value: string): string => `create = ${value}\nread = ${value}\nupdate = ${value}\ndelete = ${value}\n`;

function permissionsOf(text: string, format: ProtectionFormat = 'roles'): Permission[] {
  const parsed = parseProtections(text, format);
  if (!parsed.ok) throw new Error(parsed.fault);
  return parsed.protections.sections.map((section) => section.permissions.create);
}

describe('parseProtections: values', () => {
  it.each([
    ['comma-separated roles, trimmed and lower-cased', 'roles', ' Admin ,  MEMBER,reader', { kind: 'roles', roles: ['admin', 'member', 'reader'] }],
    ['@ is everyone', 'roles', '@', { kind: 'everyone' }],
    ['! is no one', 'roles', '!', { kind: 'nobody' }],
    ['an empty value is no one', 'roles', '', { kind: 'nobody' }],
    ['! among roles is no one', 'roles', 'admin, !', { kind: 'nobody' }],
    ['@ among roles is everyone', 'roles', 'admin, @', { kind: 'everyone' }],
    ['one policy name', 'policies', 'context_is_admin', { kind: 'policy', rule: 'context_is_admin' }],
    ['@ in policies format', 'policies', '@', { kind: 'everyone' }],
    ['! in policies format', 'policies', '!', { kind: 'nobody' }],
    ['empty in policies format', 'policies', '', { kind: 'nobody' }],
  ] as const)('%s', (_what, format, value, permission) => {
    expect(permissionsOf(`[p]\n${ALL(value)}`, format)).toEqual([permission]);
  });
});

describe('parseProtections: INI dialect', () => {
  it.each([
    ['sections keep file order', `[b]\n${ALL('@')}[a]\n${ALL('!')}`, [{ kind: 'everyone' }, { kind: 'nobody' }]],
    ['# and ; comment lines', `# c\n[p]\n; c\n${ALL('@')}`, [{ kind: 'everyone' }]],
    ['option names are case-insensitive', '[p]\nCREATE = @\nRead = @\nupdate = @\ndelete = @\n', [{ kind: 'everyone' }]],
    ['":" delimits too', '[p]\ncreate: @\nread: @\nupdate: @\ndelete: @\n', [{ kind: 'everyone' }]],
    ['indented lines continue a value', `[p]\ncreate = admin,\n   member\n${ALL('@').split('\n').slice(1).join('\n')}`, [{ kind: 'roles', roles: ['admin', 'member'] }]],
    ['[DEFAULT] options apply to every section', `[DEFAULT]\n${ALL('admin')}[p]\ncreate = @\n[q]\n`, [{ kind: 'everyone' }, { kind: 'roles', roles: ['admin'] }]],
    ['CRLF line ends', `[p]\r\n${ALL('@').replaceAll('\n', '\r\n')}`, [{ kind: 'everyone' }]],
  ] as const)('%s', (_what, text, permissions) => {
    expect(permissionsOf(text)).toEqual(permissions);
  });

  it('takes a section name up to its last "]" as the pattern', () => {
    const parsed = parseProtections(`[[ab]c]\n${ALL('@')}`, 'roles');
    expect(parsed.ok && parsed.protections.sections.map((section) => section.pattern)).toEqual(['[ab]c']);
  });
});

describe('parseProtections: invalid files', () => {
  it.each([
    ['an operation is missing', `[foo]\ncreate = @\nread = @\nupdate = @\n`, 'roles', /^\[foo\] \(line 1\): no "delete" permission$/],
    ['an operation is misspelt', `[foo]\n${ALL('@')}craete = @\n`, 'roles', /^\[foo\] \(line 1\): unknown operation "craete"$/],
    ['@ and ! are combined', `[foo]\n${ALL('@')}`.replace('read = @', 'read = @,!'), 'roles', /^\[foo\] \(line 1\) read = @,!: "@" and "!" are mutually exclusive$/],
    ['the regex does not compile', `[x_(]\n${ALL('@')}`, 'roles', /^\[x_\(\] \(line 1\): not a valid regular expression/],
    ['a policies value names two policies', `[foo]\n${ALL('a,b')}`, 'policies', /^\[foo\] \(line 1\) create = a,b: only one policy may be named/],
    ['a value uses %', `[foo]\n${ALL('50%')}`, 'roles', /"%" is not allowed/],
    ['a section appears twice', `[foo]\n${ALL('@')}[foo]\n`, 'roles', /^line 6: section \[foo\] appears twice$/],
    ['an option appears twice', `[foo]\n${ALL('@')}read = !\n`, 'roles', /^line 6: option "read" appears twice in \[foo\]$/],
    ['an option precedes every section', `read = @\n[foo]\n`, 'roles', /^line 1: "read = @" comes before any \[section\]$/],
    ['a line is not an assignment', `[foo]\ncreate\n`, 'roles', /^line 2: "create" is not "name = value"$/],
    ['the file defines nothing', '# nothing\n', 'roles', /^defines no property sections$/],
  ] as const)('rejects a file where %s', (_what, text, format, fault) => {
    const parsed = parseProtections(text, format);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.fault).toMatch(fault);
  });
});
