// strata's configuration: one zod schema validates the YAML file and the STRATA_*
// environment overrides, supplies every default, and types the result.
import { z } from 'zod';

const port = z.coerce.number().int().min(1).max(65535);
const positive = z.coerce.number().positive();
const flag = z.preprocess((value) => {
  if (typeof value !== 'string') return value;
  const lowered = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(lowered)) return true;
  if (['false', '0', 'no', 'off'].includes(lowered)) return false;
  return value;
}, z.boolean());
const loopbackOrHost = z.string().min(1);

export const configSchema = z
  .object({
    /** Where every piece of state lives unless a more specific path is set. */
    dataDir: z.string().min(1).default('data'),
    api: z
      .object({
        host: loopbackOrHost.default('127.0.0.1'),
        port: port.default(8770),
        /** Base URL clients reach the API at (catalog endpoints); defaults to http://host:port. */
        publicUrl: z.url().optional(),
      })
      .strict()
      .default({ host: '127.0.0.1', port: 8770 }),
    temporal: z
      .object({
        /** host:port of an existing Temporal frontend. Unset: `strata up` starts a dev server. */
        address: z.string().min(1).optional(),
        namespace: z.string().min(1).default('default'),
        /** Base URL of the Temporal UI operators follow from `strata failures`; default: the dev server's UI. */
        uiUrl: z.url().optional(),
        devServer: z
          .object({
            port: port.default(7233),
            uiPort: port.default(8233),
            /** Path of the `temporal` CLI; default: TEMPORAL_CLI, .tools/venv/bin/temporal, then PATH. */
            cli: z.string().min(1).optional(),
          })
          .strict()
          .default({ port: 7233, uiPort: 8233 }),
      })
      .strict()
      .default({ namespace: 'default', devServer: { port: 7233, uiPort: 8233 } }),
    eventStore: z
      .object({
        adapter: z.enum(['sqlite', 'kurrentdb']).default('sqlite'),
        /** SQLite file; default <dataDir>/events.db. */
        sqlitePath: z.string().min(1).optional(),
        kurrentdbConnectionString: z.string().min(1).optional(),
      })
      .strict()
      .default({ adapter: 'sqlite' }),
    identity: z
      .object({
        adminUser: z.string().min(1).default('admin'),
        adminPassword: z.string().min(8).default('strata-admin-pw'),
        adminProject: z.string().min(1).default('admin'),
        region: z.string().min(1).default('RegionOne'),
        tokenTtlSeconds: positive.default(3600),
      })
      .strict()
      .default({
        adminUser: 'admin',
        adminPassword: 'strata-admin-pw',
        adminProject: 'admin',
        region: 'RegionOne',
        tokenTtlSeconds: 3600,
      }),
    compute: z
      .object({
        /** Name of this machine's compute host; default: the OS hostname. */
        host: z.string().min(1).regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "_" or "-"').optional(),
        availabilityZone: z.string().min(1).default('nova'),
        accelerator: z.enum(['auto', 'kvm', 'tcg']).default('auto'),
        ovmfCode: z.string().min(1).default('/usr/share/OVMF/OVMF_CODE.fd'),
        ovmfVars: z.string().min(1).default('/usr/share/OVMF/OVMF_VARS.fd'),
        cpuAllocationRatio: positive.default(4),
        ramAllocationRatio: positive.default(1.5),
        diskAllocationRatio: positive.default(1),
        /**
         * How long a guest may take to print its boot marker (images with `strata_boot_marker`).
         * Capped below the launch workflow's 2-minute limit for the waitForBoot activity.
         */
        bootTimeoutSeconds: positive.max(110).default(60),
        /** A host is alive while its last heartbeat is younger than this. */
        heartbeatIntervalSeconds: positive.default(10),
        /** Cached bases no instance uses are pruned once older than this (Nova's 24 h default). */
        imageCacheMinAgeSeconds: z.coerce.number().min(0).default(86400),
        /** Hard-link the image store's file as the cached base when it is on this host's filesystem (verified, not copied); off, the host always copies. */
        imageCacheLinksStoreFiles: flag.default(true),
        /** How an ephemeral disk is wiped before removal (Nova's volume_clear). */
        ephemeralClear: z.enum(['zero', 'shred', 'none']).default('zero'),
        /** Encrypt ephemeral disks (LUKS qcow2, one key per instance, destroyed on delete). */
        ephemeralEncryption: flag.default(false),
        /** How often the orphan reaper looks for QEMU processes and instance directories no instance owns (Nova: 1800 s). */
        orphanReapIntervalSeconds: positive.default(1800),
        /** Unclaimed QEMU processes and instance directories younger than this are left alone. */
        orphanGraceSeconds: z.coerce.number().min(0).default(300),
        /** How long a failed launch waits for an operator's retry or delete before it ends in ERROR (0: it ends at once). */
        failedBootDecisionSeconds: z.coerce.number().min(0).default(86400),
      })
      .strict()
      .default({
        availabilityZone: 'nova',
        accelerator: 'auto',
        ovmfCode: '/usr/share/OVMF/OVMF_CODE.fd',
        ovmfVars: '/usr/share/OVMF/OVMF_VARS.fd',
        cpuAllocationRatio: 4,
        ramAllocationRatio: 1.5,
        diskAllocationRatio: 1,
        bootTimeoutSeconds: 60,
        heartbeatIntervalSeconds: 10,
        imageCacheMinAgeSeconds: 86400,
        imageCacheLinksStoreFiles: true,
        ephemeralClear: 'zero',
        ephemeralEncryption: false,
        orphanReapIntervalSeconds: 1800,
        orphanGraceSeconds: 300,
        failedBootDecisionSeconds: 86400,
      }),
    storage: z
      .object({
        node: z.string().min(1).regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "_" or "-"').default('storage1'),
        /** Address tgtd listens on (Cinder's my_block_storage_ip). */
        address: loopbackOrHost.default('127.0.0.1'),
        iscsiPort: port.default(3260),
      })
      .strict()
      .default({ node: 'storage1', address: '127.0.0.1', iscsiPort: 3260 }),
    images: z
      .object({
        imageSizeCapBytes: positive.default(1024 ** 4),
        userStorageQuotaBytes: z.coerce.number().min(0).default(0),
        showImageDirectUrl: flag.default(false),
        /**
         * web-download targets allowed although they are loopback, private or link-local
         * (SSRF guard): host names, IP addresses or CIDR blocks; a comma-separated list in STRATA_*.
         */
        webDownloadAllowList: z
          .preprocess((value) => (typeof value === 'string' ? value.split(',').map((entry) => entry.trim()).filter(Boolean) : value), z.array(z.string().min(1)))
          .default([]),
      })
      .strict()
      .default({ imageSizeCapBytes: 1024 ** 4, userStorageQuotaBytes: 0, showImageDirectUrl: false, webDownloadAllowList: [] }),
    policy: z
      .object({
        /** policy.yaml / policy.json overriding the built-in defaults. */
        file: z.string().min(1).optional(),
        propertyProtectionFile: z.string().min(1).optional(),
        propertyProtectionRuleFormat: z.enum(['roles', 'policies']).default('roles'),
      })
      .strict()
      .default({ propertyProtectionRuleFormat: 'roles' }),
    audit: z
      .object({
        /** HMAC-SHA256 key signing `strata audit export` files (at least 32 characters). */
        signingKey: z.string().min(32, 'at least 32 characters').optional(),
        /** A file holding that key; neither set: <dataDir>/audit-signing.key, generated on first use. */
        signingKeyFile: z.string().min(1).optional(),
      })
      .strict()
      .refine((audit) => audit.signingKey === undefined || audit.signingKeyFile === undefined, 'set signingKey or signingKeyFile, not both')
      .default({}),
  })
  .strict();

export type StrataConfig = z.infer<typeof configSchema>;
