import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/** Loopback, private, link-local, carrier-grade NAT, multicast and unspecified ranges: not the open Internet. */
const PRIVATE = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const) {
  PRIVATE.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  PRIVATE.addSubnet(net, prefix, 'ipv6');
}

/** Whether an IP address is loopback, private, link-local or otherwise not publicly routable. */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return isPrivateAddress(mapped[1]);
  const family = isIP(address);
  if (family === 0) return true;
  return PRIVATE.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export type Resolver = (hostname: string) => Promise<string[]>;
const systemResolver: Resolver = async (hostname) => (await lookup(hostname, { all: true, verbatim: true })).map((a) => a.address);

/** Where a delivery connects: the URL, and the address its host was resolved to and checked at (none when private hosts are allowed). */
export interface CheckedTarget {
  url: URL;
  pinned?: { address: string; family: 4 | 6 };
}

/**
 * Checks a webhook URL and resolves its host once: only http and https, no credentials in it,
 * and (unless `allowPrivate`) a host whose every address is public. The first address is pinned:
 * the connection goes to it, so a DNS answer changed after the check (rebinding) is never used.
 */
export async function checkTarget(raw: string, allowPrivate: boolean, resolve: Resolver = systemResolver): Promise<{ refused: string } | { target: CheckedTarget }> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { refused: 'must be an absolute http or https URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { refused: 'must be an http or https URL' };
  if (url.username || url.password) return { refused: 'must not carry credentials (use authorization_header)' };
  if (allowPrivate) return { target: { url } };
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : await resolve(host);
  } catch {
    return { refused: `the host ${host} does not resolve` };
  }
  if (addresses.length === 0) return { refused: `the host ${host} does not resolve` };
  const blocked = addresses.find(isPrivateAddress);
  if (blocked) return { refused: `resolves to ${blocked}, a loopback, private or link-local address` };
  return { target: { url, pinned: { address: addresses[0], family: isIP(addresses[0]) === 6 ? 6 : 4 } } };
}

/** Why a webhook URL is refused, or undefined when it is fine (see checkTarget). Checked when the webhook is written. */
export async function refusedUrl(raw: string, allowPrivate: boolean, resolve: Resolver = systemResolver): Promise<string | undefined> {
  const checked = await checkTarget(raw, allowPrivate, resolve);
  return 'refused' in checked ? checked.refused : undefined;
}
