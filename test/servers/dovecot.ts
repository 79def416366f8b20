import type { ChildProcess } from 'node:child_process';
import { execFile } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ImapFlow } from 'imapflow';
import { freePort, missing, serverUser, startProcess, stopProcess, tail, waitForPort } from './process.ts';

const DOVECOT = process.env.DOVECOT_PATH ?? '/usr/sbin/dovecot';
const DOVEADM = process.env.DOVEADM_PATH ?? '/usr/bin/doveadm';
const START_TIMEOUT_MS = 15_000;

export interface Dovecot {
  host: '127.0.0.1';
  /** Plain IMAP (STARTTLS offered). */
  port: number;
  /** IMAP over TLS with a self-signed certificate nobody trusts. */
  tlsPort: number;
  /** An IMAP client for the test itself: seeding, reading flags. Log out when done. */
  client(user: string): Promise<ImapFlow>;
  /** Gives the mailbox a new UIDVALIDITY, as a server does after a rebuild. */
  setUidValidity(user: string, mailbox: string, value: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A real Dovecot on two free loopback ports, with a throw-away configuration, users file, mail store and
 * certificate in a temporary folder; nothing of the machine's own Dovecot set-up is read or touched.
 */
export async function startDovecot(users: Record<string, string>): Promise<Dovecot> {
  if (!existsSync(DOVECOT)) throw missing('Dovecot', DOVECOT, 'dovecot-imapd');
  const dir = mkdtempSync(join(tmpdir(), 'db-dovecot-'));
  const who = serverUser();
  // Dovecot's processes that run as "nobody" (when the tests run as root) must reach the mail under here.
  chmodSync(dir, 0o711);
  for (const sub of ['mail', 'home']) {
    mkdirSync(join(dir, sub));
    if (who.root) chownSync(join(dir, sub), who.uid, who.gid);
  }
  writeFileSync(
    join(dir, 'users'),
    Object.entries(users)
      .map(([user, password]) => `${user}:{PLAIN}${password}\n`)
      .join(''),
  );
  await certificate(dir);
  const [port, tlsPort] = [await freePort(), await freePort()];
  const config = join(dir, 'dovecot.conf');
  writeFileSync(config, configText(dir, port, tlsPort, who));
  const log = join(dir, 'dovecot.log');
  let child: ChildProcess | undefined;
  try {
    child = startProcess(DOVECOT, ['-F', '-c', config]);
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await waitForPort(port, {
      timeoutMs: START_TIMEOUT_MS,
      child,
      greeting: /^\* OK .*ready/m,
      why: () => `${stderr.trim()} ${tail(log)}`,
    });
  } catch (error) {
    if (child) await stopProcess(child);
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`Dovecot could not start for the tests (${(error as Error).message})`, { cause: error });
  }
  const running = child;
  return {
    host: '127.0.0.1',
    port,
    tlsPort,
    client: async (user) => {
      const client = new ImapFlow({
        host: '127.0.0.1',
        port,
        secure: false,
        doSTARTTLS: false,
        auth: { user, pass: users[user] ?? '' },
        logger: false,
      });
      client.on('error', () => undefined);
      await client.connect();
      return client;
    },
    setUidValidity: async (user, mailbox, value) => {
      await promisify(execFile)(DOVEADM, [
        '-c',
        config,
        'mailbox',
        'update',
        '-u',
        user,
        '--uid-validity',
        String(value),
        mailbox,
      ]);
    },
    stop: async () => {
      await stopProcess(running);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function configText(dir: string, port: number, tlsPort: number, who: ReturnType<typeof serverUser>): string {
  // Login processes must not run as root; Debian's package makes "dovenull" for them.
  const login = who.root ? 'dovenull' : who.name;
  const internal = who.root ? 'dovecot' : who.name;
  return `base_dir = ${dir}/run
state_dir = ${dir}/state
instance_name = daily-brief-test-${String(port)}
log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <${dir}/cert.pem
ssl_key = <${dir}/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = ${internal}
default_internal_group = ${internal}
default_login_user = ${login}
mail_location = maildir:${dir}/mail/%u
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/users
}
userdb {
  driver = static
  args = uid=${String(who.uid)} gid=${String(who.gid)} home=${dir}/home/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${String(port)}
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = ${String(tlsPort)}
    ssl = yes
  }
}
`;
}

/** A self-signed certificate for "localhost": the TLS port works, and no client trusts it. */
async function certificate(dir: string): Promise<void> {
  await promisify(execFile)('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    join(dir, 'key.pem'),
    '-out',
    join(dir, 'cert.pem'),
    '-days',
    '2',
    '-subj',
    '/CN=localhost',
  ]);
  chmodSync(join(dir, 'key.pem'), 0o600);
}
