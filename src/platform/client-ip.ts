// Who is calling, by address, in one place: the sign-in limit, the send limit's logs and every log
// line use it. X-Forwarded-For is read only when TRUST_PROXY says the hops in front of us are ours;
// otherwise anyone could claim any address and walk past a per-IP limit.
import { BlockList, isIP } from 'node:net';

/** The header the custom server sets on every request (after dropping any the client sent). */
export const CLIENT_IP_HEADER = 'x-client-ip';

/** TRUST_PROXY, parsed: off, a number of proxy hops, or the proxies' addresses and networks. */
export type TTrustProxy =
  { kind: 'off' } | { kind: 'hops'; hops: number } | { kind: 'cidrs'; list: BlockList };

export function parseTrustProxy(raw: string | undefined): TTrustProxy {
  const value = raw?.trim().toLowerCase();
  if (!value || value === 'false' || value === '0' || value === 'off') return { kind: 'off' };
  if (value === 'true') return { kind: 'hops', hops: 1 };
  if (/^\d+$/.test(value)) return { kind: 'hops', hops: Number(value) };
  const list = new BlockList();
  for (const part of value
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [address = '', prefix] = part.split('/');
    const family = isIP(address);
    if (!family) throw new Error(`TRUST_PROXY: "${part}" is not a number of hops, an address or a CIDR`);
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(prefix), type);
  }
  return { kind: 'cidrs', list };
}

/** IPv4 clients reach a dual-stack socket as ::ffff:a.b.c.d; logs and limits want a.b.c.d. */
function normalize(address: string): string {
  const trimmed = address.trim();
  return trimmed.startsWith('::ffff:') && isIP(trimmed.slice(7)) === 4 ? trimmed.slice(7) : trimmed;
}

function trusted(list: BlockList, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && list.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/**
 * The client's address: the socket's peer, or, behind trusted proxies, the hop they report.
 * With N hops trusted, the Nth address from the right of X-Forwarded-For is the client (each proxy
 * appends the address it saw); with CIDRs, the rightmost address that is not one of our proxies.
 */
export function clientIp(
  request: { remoteAddress: string | undefined; forwardedFor: string | null | undefined },
  trust: TTrustProxy,
): string {
  const peer = normalize(request.remoteAddress ?? '') || 'unknown';
  if (trust.kind === 'off' || !request.forwardedFor) return peer;
  const chain = [...request.forwardedFor.split(',').map(normalize).filter(Boolean), peer];
  if (trust.kind === 'hops') return chain[Math.max(0, chain.length - 1 - trust.hops)] ?? peer;
  for (let i = chain.length - 1; i >= 0; i--) {
    const hop = chain[i]!;
    if (!trusted(trust.list, hop)) return hop;
  }
  return chain[0] ?? peer;
}

/** The address the custom server recorded for this request ('unknown' when called directly). */
export function requestIp(headers: Headers): string {
  return headers.get(CLIENT_IP_HEADER) ?? 'unknown';
}
