// The SSRF guard's address rules, and the allow-list as operators write it.
import { describe, expect, it } from 'vitest';
import { WebDownloadPolicy } from '../../activities/web-download.js';
import { loadConfig } from '../../config/load.js';

describe('WebDownloadPolicy', () => {
  const strict = new WebDownloadPolicy([]);

  it.each([
    ['8.8.8.8', true],
    ['2001:4860:4860::8888', true],
    ['127.0.0.1', false],
    ['127.1.2.3', false],
    ['10.1.2.3', false],
    ['172.16.0.1', false],
    ['172.32.0.1', true],
    ['192.168.1.1', false],
    ['169.254.169.254', false],
    ['100.64.0.1', false],
    ['0.0.0.0', false],
    ['224.0.0.1', false],
    ['::1', false],
    ['::', false],
    ['fe80::1', false],
    ['fd00::1', false],
    ['::ffff:10.0.0.1', false],
    ['::ffff:8.8.8.8', true],
  ])('%s is public: %s', (address, expected) => {
    expect(strict.isAllowed('example.org', address)).toBe(expected);
  });

  it('lets through exactly what the allow-list names', () => {
    const policy = new WebDownloadPolicy(['127.0.0.1', '10.20.0.0/16', 'fd00::/8', 'mirror.internal']);
    expect(policy.isAllowed('x', '127.0.0.1')).toBe(true);
    expect(policy.isAllowed('x', '127.0.0.2')).toBe(false);
    expect(policy.isAllowed('x', '10.20.3.4')).toBe(true);
    expect(policy.isAllowed('x', '10.21.3.4')).toBe(false);
    expect(policy.isAllowed('x', 'fd12::1')).toBe(true);
    expect(policy.isAllowed('Mirror.Internal', '192.168.0.9')).toBe(true);
  });
});

describe('images.webDownloadAllowList', () => {
  it('reads a comma-separated STRATA_IMAGES_WEB_DOWNLOAD_ALLOW_LIST', () => {
    const config = loadConfig({ env: { STRATA_IMAGES_WEB_DOWNLOAD_ALLOW_LIST: '127.0.0.1, 10.0.0.0/8,,mirror.internal' } });
    expect(config.images.webDownloadAllowList).toEqual(['127.0.0.1', '10.0.0.0/8', 'mirror.internal']);
    expect(loadConfig({ env: {} }).images.webDownloadAllowList).toEqual([]);
  });
});
