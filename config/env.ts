// Environment overrides: STRATA_<PATH> where PATH is the config key path in upper snake
// case (api.port → STRATA_API_PORT), plus the names the wider ecosystem already uses.
const overridablePaths = [
  'dataDir',
  'api.host',
  'api.port',
  'api.publicUrl',
  'temporal.address',
  'temporal.namespace',
  'temporal.uiUrl',
  'temporal.devServer.port',
  'temporal.devServer.uiPort',
  'temporal.devServer.cli',
  'eventStore.adapter',
  'eventStore.sqlitePath',
  'eventStore.kurrentdbConnectionString',
  'identity.adminUser',
  'identity.adminPassword',
  'identity.adminProject',
  'identity.region',
  'identity.tokenTtlSeconds',
  'compute.host',
  'compute.availabilityZone',
  'compute.accelerator',
  'compute.ovmfCode',
  'compute.ovmfVars',
  'compute.cpuAllocationRatio',
  'compute.ramAllocationRatio',
  'compute.diskAllocationRatio',
  'compute.bootTimeoutSeconds',
  'compute.heartbeatIntervalSeconds',
  'compute.imageCacheMinAgeSeconds',
  'compute.imageCacheLinksStoreFiles',
  'compute.ephemeralClear',
  'compute.ephemeralEncryption',
  'compute.orphanReapIntervalSeconds',
  'compute.orphanGraceSeconds',
  'compute.failedBootDecisionSeconds',
  'storage.node',
  'storage.address',
  'storage.iscsiPort',
  'images.imageSizeCapBytes',
  'images.userStorageQuotaBytes',
  'images.showImageDirectUrl',
  'images.webDownloadAllowList',
  'policy.file',
  'policy.propertyProtectionFile',
  'policy.propertyProtectionRuleFormat',
  'audit.signingKey',
  'audit.signingKeyFile',
] as const;

const ecosystemAliases: Record<string, string> = {
  TEMPORAL_ADDRESS: 'temporal.address',
  TEMPORAL_CLI: 'temporal.devServer.cli',
  KURRENTDB_CONNECTION_STRING: 'eventStore.kurrentdbConnectionString',
};

export function environmentVariableFor(path: string): string {
  return `STRATA_${path.replace(/\./g, '_').replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}`;
}

export const documentedVariables: ReadonlyArray<{ path: string; variable: string }> = overridablePaths.map((path) => ({
  path,
  variable: environmentVariableFor(path),
}));

export interface Override {
  path: string[];
  variable: string;
  value: string;
}

/** Overrides present in env; a STRATA_* name wins over an ecosystem alias for the same key. */
export function environmentOverrides(env: NodeJS.ProcessEnv): Override[] {
  const byPath = new Map<string, Override>();
  for (const [variable, path] of Object.entries(ecosystemAliases)) {
    const value = env[variable];
    if (value !== undefined && value !== '') byPath.set(path, { path: path.split('.'), variable, value });
  }
  for (const { path, variable } of documentedVariables) {
    const value = env[variable];
    if (value !== undefined && value !== '') byPath.set(path, { path: path.split('.'), variable, value });
  }
  return [...byPath.values()];
}
