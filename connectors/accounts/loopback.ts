import { isIP } from 'node:net';

/**
 * True for names that cannot leave this machine: localhost, 127.0.0.0/8 and ::1. Plain-text IMAP is allowed only
 * to these (a local bridge such as Proton Bridge), since anything else would send the password in the clear.
 */
export function isLoopbackHost(host: string): boolean {
  const name = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  if (isIP(name) === 4) return name.startsWith('127.');
  if (isIP(name) === 6) return name === '::1' || name === '0:0:0:0:0:0:0:1' || name.startsWith('::ffff:127.');
  return false;
}
