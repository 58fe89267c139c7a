// Reads the rules of an operator's policy.yaml / policy.json text (oslo.policy tries JSON
// first, then YAML; both map action names to rule strings). A document that is not such
// a mapping is a start-up error; a single bad value only fails that rule closed.

import { parse as parseYaml } from 'yaml';

export class PolicyFileError extends Error {
  constructor(
    readonly file: string,
    readonly fault: string,
  ) {
    super(`policy file ${file}: ${fault}`);
    this.name = 'PolicyFileError';
  }
}

export interface PolicyOverrides {
  readonly rules: Readonly<Record<string, string>>;
  readonly warnings: readonly string[];
}

const FAIL_CLOSED = '!';

export function parsePolicyDocument(text: string, file: string): PolicyOverrides {
  const document = parseJsonOrYaml(text, file);
  if (document === null || document === undefined) return { rules: {}, warnings: [] };
  if (typeof document !== 'object' || Array.isArray(document)) {
    throw new PolicyFileError(file, 'must map rule names to rule strings');
  }
  const rules: Record<string, string> = {};
  const warnings: string[] = [];
  for (const [name, value] of Object.entries(document)) {
    if (typeof value === 'string') {
      rules[name] = value;
      continue;
    }
    rules[name] = FAIL_CLOSED;
    warnings.push(
      value === null
        ? `${file}: rule "${name}" has no value; it fails closed (write "" to allow everyone)`
        : `${file}: rule "${name}" is not a string; it fails closed`,
    );
  }
  return { rules, warnings };
}

function parseJsonOrYaml(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    try {
      return parseYaml(text) as unknown;
    } catch (error) {
      throw new PolicyFileError(file, `neither JSON nor YAML: ${(error as Error).message}`);
    }
  }
}
