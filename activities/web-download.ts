// Opens a web-download import's URL without letting a client aim strata at itself or its
// network (SSRF): http(s) only; every address the name resolves to must be public unless
// the operator's allow-list names it; the connection goes to the address that was
// checked (no second DNS answer); each redirect hop is checked the same way.
import { lookup as dnsLookup } from 'node:dns/promises';
import type { IncomingMessage } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP } from 'node:net';
import type { LookupFunction } from 'node:net';

export class WebDownloadRefusedError extends Error {
  override readonly name = 'WebDownloadRefusedError';
}

/** The server answered with an error; 4xx will not get better by retrying, 5xx may. */
export class WebDownloadHttpError extends Error {
  override readonly name = 'WebDownloadHttpError';
  constructor(readonly status: number) {
    super(`web-download source answered HTTP ${status}`);
  }
}

const MAX_REDIRECTS = 5;
const CONNECT_TIMEOUT_MS = 30_000;

const NON_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) NON_PUBLIC.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) NON_PUBLIC.addSubnet(network, prefix, 'ipv6');

// BlockList matches IPv4-mapped IPv6 addresses (::ffff:10.0.0.1) against the IPv4 rules too.
function familyOf(address: string): 'ipv4' | 'ipv6' {
  return isIP(address) === 6 ? 'ipv6' : 'ipv4';
}

export class WebDownloadPolicy {
  private readonly allowedAddresses = new BlockList();
  private readonly allowedHosts = new Set<string>();

  /** Entries: host names, IP addresses or CIDR blocks (`127.0.0.0/8`). */
  constructor(allowList: readonly string[]) {
    for (const entry of allowList) {
      const [network = '', prefix] = entry.split('/');
      const family = familyOf(network);
      if (isIP(network) && prefix !== undefined) this.allowedAddresses.addSubnet(network, Number(prefix), family);
      else if (isIP(network)) this.allowedAddresses.addAddress(network, family);
      else this.allowedHosts.add(entry.toLowerCase());
    }
  }

  isAllowed(host: string, address: string): boolean {
    if (this.allowedHosts.has(host.toLowerCase())) return true;
    const family = familyOf(address);
    return this.allowedAddresses.check(address, family) || !NON_PUBLIC.check(address, family);
  }

  /** A DNS lookup for the socket that refuses non-public answers, so what connects is what was checked. */
  lookupFor(host: string): LookupFunction {
    return (hostname, options, callback) => {
      dnsLookup(hostname, { all: true })
        .then((answers) => {
          const refused = answers.find((answer) => !this.isAllowed(host, answer.address));
          if (refused || answers.length === 0) {
            callback(new WebDownloadRefusedError(`web-download refused: ${host} resolves to ${refused?.address ?? 'nothing'}, which is not a public address`), '', 4);
            return;
          }
          const chosen = answers[0] as { address: string; family: number };
          if ((options as { all?: boolean }).all) callback(null, [chosen] as never);
          else callback(null, chosen.address, chosen.family);
        })
        .catch((error: Error) => callback(error, '', 4));
    };
  }
}

function get(url: URL, policy: WebDownloadPolicy, signal: AbortSignal): Promise<IncomingMessage> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) && !policy.isAllowed(host, host)) {
    return Promise.reject(new WebDownloadRefusedError(`web-download refused: ${host} is not a public address`));
  }
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(url, { lookup: policy.lookupFor(host), signal, timeout: CONNECT_TIMEOUT_MS }, resolve);
    request.on('timeout', () => request.destroy(new Error(`web-download: no answer from ${host} within ${CONNECT_TIMEOUT_MS} ms`)));
    request.on('error', reject);
    request.end();
  });
}

/** The response body of `uri`, after following (checked) redirects. */
export async function openWebDownload(uri: string, policy: WebDownloadPolicy, signal: AbortSignal): Promise<IncomingMessage> {
  let url = new URL(uri);
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new WebDownloadRefusedError(`web-download refused: ${url.protocol} URLs are not supported`);
    const response = await get(url, policy, signal);
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if (status >= 300 && status < 400 && location) {
      response.resume();
      url = new URL(location, url);
      continue;
    }
    if (status < 200 || status >= 300) {
      response.resume();
      throw new WebDownloadHttpError(status);
    }
    return response;
  }
  throw new WebDownloadRefusedError(`web-download refused: more than ${MAX_REDIRECTS} redirects`);
}
