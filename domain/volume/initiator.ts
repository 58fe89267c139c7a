// A compute host's iSCSI identity. Workflow code uses it, and a workflow's imports are
// evaluated again for every new workflow run, so this module stays free of zod schemas.

/** A compute host's iSCSI initiator name: what a volume's target ACL admits. */
export function hostInitiatorName(host: string): string {
  return `iqn.2026-11.io.strata:host-${host}`;
}
