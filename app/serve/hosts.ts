import { hostname, networkInterfaces } from 'node:os';

/** A bind address that means "every interface". */
export function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '[::]' || host === '';
}

/** An address as it goes in a URL or a Host header: IPv6 in brackets. */
function urlHost(address: string): string {
  return address.includes(':') ? `[${address}]` : address;
}

/**
 * The names this server answers to (its Host allow-list, without the port) and the one to print. Bound to every
 * interface, that is each of the machine's addresses and its host name, so a phone on the same network can open
 * the printed link; a name anyone could point at this machine (DNS rebinding) is still refused.
 */
export function servedHosts(bindHost: string): { names: string[]; shown: string } {
  const loopback = ['127.0.0.1', 'localhost', '[::1]'];
  if (!isWildcard(bindHost)) {
    const shown = urlHost(bindHost.replace(/^\[|\]$/g, ''));
    return { names: [...loopback, shown.toLowerCase()], shown };
  }
  const addresses = Object.values(networkInterfaces())
    .flat()
    .filter((a) => a !== undefined);
  const name = hostname().toLowerCase();
  const names = [...loopback, ...addresses.map((a) => urlHost(a.address).toLowerCase()), name, `${name}.local`];
  // The address to print is one other machines can reach: the first outside IPv4 address, else loopback.
  const outside = addresses.find((a) => !a.internal && a.family === 'IPv4');
  return { names: [...new Set(names)], shown: outside?.address ?? '127.0.0.1' };
}
