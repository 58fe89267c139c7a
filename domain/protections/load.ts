// Reads the operator's property protection file at start-up. Any fault (missing file,
// invalid section, unknown policy) stops strata with a message naming the file: Glance
// documents the same, and running without the intended protections would be worse.
import { readFileSync } from 'node:fs';
import { parseProtections, undefinedPolicies, type ProtectionFormat, type PropertyProtections } from './protections.js';

export class PropertyProtectionsFileError extends Error {
  constructor(
    readonly file: string,
    readonly fault: string,
  ) {
    super(`property protection file ${file}: ${fault}`);
    this.name = 'PropertyProtectionsFileError';
  }
}

export function loadPropertyProtections(
  file: string,
  format: ProtectionFormat,
  policies: { hasRule(name: string): boolean },
): PropertyProtections {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new PropertyProtectionsFileError(file, code === 'ENOENT' ? 'file not found' : (error as Error).message);
  }
  const parsed = parseProtections(text, format);
  if (!parsed.ok) throw new PropertyProtectionsFileError(file, parsed.fault);
  const unknown = undefinedPolicies(parsed.protections, (name) => policies.hasRule(name));
  if (unknown.length > 0) {
    throw new PropertyProtectionsFileError(file, `no policy rule named "${unknown.join('", "')}"`);
  }
  return parsed.protections;
}
