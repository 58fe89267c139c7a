// Glance's property protections (glance/common/property_utils.py): which callers may
// create, read, update or delete an image's extra properties. Each INI section names a
// regular expression searched in the property name; the first matching section in file
// order decides, and a property no section matches is denied.
import { parseIni, type IniSection } from './ini.js';

export type ProtectionFormat = 'roles' | 'policies';

export const PROPERTY_OPERATIONS = ['create', 'read', 'update', 'delete'] as const;
export type PropertyOperation = (typeof PROPERTY_OPERATIONS)[number];

export type Permission =
  | { readonly kind: 'everyone' }
  | { readonly kind: 'nobody' }
  /** Lower-cased role names; any one of them suffices. */
  | { readonly kind: 'roles'; readonly roles: readonly string[] }
  /** A policy rule name, enforced with an empty target. */
  | { readonly kind: 'policy'; readonly rule: string };

export interface ProtectionSection {
  readonly pattern: string;
  readonly matcher: RegExp;
  readonly permissions: Readonly<Record<PropertyOperation, Permission>>;
}

export interface PropertyProtections {
  readonly format: ProtectionFormat;
  readonly sections: readonly ProtectionSection[];
}

export type ProtectionsParse =
  | { readonly ok: true; readonly protections: PropertyProtections }
  | { readonly ok: false; readonly fault: string };

class SectionFault extends Error {}

export function parseProtections(iniText: string, format: ProtectionFormat): ProtectionsParse {
  const ini = parseIni(iniText);
  if (!ini.ok) return ini;
  // Glance would allow everything here; an empty file is more likely a mistake.
  if (ini.sections.length === 0) return { ok: false, fault: 'defines no property sections' };
  try {
    return { ok: true, protections: { format, sections: ini.sections.map((section) => parseSection(section, format)) } };
  } catch (error) {
    if (error instanceof SectionFault) return { ok: false, fault: error.message };
    throw error;
  }
}

function parseSection(section: IniSection, format: ProtectionFormat): ProtectionSection {
  const where = `[${section.name}] (line ${section.line})`;
  const unknown = [...section.options.keys()].filter((key) => !(PROPERTY_OPERATIONS as readonly string[]).includes(key));
  if (unknown.length > 0) throw new SectionFault(`${where}: unknown operation "${unknown.join('", "')}"`);

  const permission = (operation: PropertyOperation): Permission => {
    const value = section.options.get(operation);
    if (value === undefined) throw new SectionFault(`${where}: no "${operation}" permission`);
    const fault = (problem: string): SectionFault => new SectionFault(`${where} ${operation} = ${value}: ${problem}`);
    if (value.includes('%')) throw fault('"%" is not allowed (configparser interpolation)');
    return format === 'roles' ? rolesPermission(value, fault) : policyPermission(value, fault);
  };

  return {
    pattern: section.name,
    matcher: compilePattern(section.name, where),
    permissions: {
      create: permission('create'),
      read: permission('read'),
      update: permission('update'),
      delete: permission('delete'),
    },
  };
}

function rolesPermission(value: string, fault: (problem: string) => SectionFault): Permission {
  const roles = value.split(',').map((role) => role.trim()).filter((role) => role !== '');
  if (roles.includes('@') && roles.includes('!')) throw fault('"@" and "!" are mutually exclusive');
  if (roles.includes('!') || roles.length === 0) return { kind: 'nobody' };
  if (roles.includes('@')) return { kind: 'everyone' };
  return { kind: 'roles', roles: roles.map((role) => role.toLowerCase()) };
}

function policyPermission(value: string, fault: (problem: string) => SectionFault): Permission {
  if (value.includes(',')) throw fault('only one policy may be named; combine policies in the policy file');
  if (value === '' || value === '!') return { kind: 'nobody' };
  if (value === '@') return { kind: 'everyone' };
  return { kind: 'policy', rule: value };
}

function compilePattern(pattern: string, where: string): RegExp {
  try {
    return new RegExp(pattern);
  } catch (error) {
    throw new SectionFault(`${where}: not a valid regular expression: ${(error as Error).message}`);
  }
}

/** Policy rule names the protections refer to that `hasRule` does not know. */
export function undefinedPolicies(protections: PropertyProtections, hasRule: (name: string) => boolean): string[] {
  const named = protections.sections.flatMap((section) =>
    Object.values(section.permissions).flatMap((permission) => (permission.kind === 'policy' ? [permission.rule] : [])),
  );
  return [...new Set(named)].filter((name) => !hasRule(name));
}
