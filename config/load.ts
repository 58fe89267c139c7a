// Loads strata.yaml (or the file named by STRATA_CONFIG), applies STRATA_* environment
// overrides, and validates the result. Any fault becomes a ConfigError naming the key.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { configSchema, type StrataConfig } from './schema.js';
import { environmentOverrides } from './env.js';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Tree = Record<string, unknown>;

function isTree(value: unknown): value is Tree {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function setPath(tree: Tree, path: readonly string[], value: string): void {
  let node = tree;
  for (const key of path.slice(0, -1)) {
    const child = node[key];
    if (!isTree(child)) node[key] = {};
    node = node[key] as Tree;
  }
  node[path[path.length - 1] as string] = value;
}

function readConfigFile(path: string): Tree {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read config file ${path}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (error) {
    throw new ConfigError(`config file ${path} is not valid YAML: ${(error as Error).message}`);
  }
  if (parsed === null || parsed === undefined) return {};
  if (!isTree(parsed)) throw new ConfigError(`config file ${path} must hold a mapping at the top level`);
  return parsed;
}

export interface LoadOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** The config file in use: STRATA_CONFIG if set (must exist), else ./strata.yaml if present. */
export function configFilePath({ env = process.env, cwd = process.cwd() }: LoadOptions = {}): string | undefined {
  if (env.STRATA_CONFIG) return resolve(cwd, env.STRATA_CONFIG);
  const fallback = resolve(cwd, 'strata.yaml');
  return existsSync(fallback) ? fallback : undefined;
}

export function loadConfig(options: LoadOptions = {}): StrataConfig {
  const env = options.env ?? process.env;
  const file = configFilePath(options);
  const tree = file ? readConfigFile(file) : {};
  const sources = applyEnvironment(tree, env);
  return validateConfig(tree, (key) => sources.get(key) ?? file ?? 'defaults');
}

/** Writes the environment's overrides into `tree`; returns which variable set each key. */
export function applyEnvironment(tree: Tree, env: NodeJS.ProcessEnv): Map<string, string> {
  const sources = new Map<string, string>();
  for (const { path, variable, value } of environmentOverrides(env)) {
    setPath(tree, path, value);
    sources.set(path.join('.'), variable);
  }
  return sources;
}

/** Validates a configuration tree; `originOf` names where a key's value came from. */
export function validateConfig(tree: unknown, originOf: (key: string) => string): StrataConfig {
  const result = configSchema.safeParse(tree);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const key = issue.path.join('.') || '(top level)';
    return `  ${key} (from ${originOf(key)}): ${issue.message}`;
  });
  throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
}
