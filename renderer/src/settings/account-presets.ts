/** How an IMAP connection is secured; "none" is accepted only for a server on this machine (a bridge). */
export type Security = 'tls' | 'starttls' | 'none';

/**
 * What a user would otherwise look up: the provider's servers and where its app passwords are made. Most
 * providers refuse the usual password over IMAP and CalDAV once two-step sign-in is on.
 */
export interface Preset {
  id: string;
  label: string;
  imap?: { host: string; port: number; security: Security };
  caldav?: { url: string };
  /** Where the password to use is made or shown. */
  passwords?: { url: string; text: string };
  note?: string;
}

export const PRESETS: Preset[] = [
  {
    id: 'fastmail',
    label: 'Fastmail',
    imap: { host: 'imap.fastmail.com', port: 993, security: 'tls' },
    caldav: { url: 'https://caldav.fastmail.com/' },
    passwords: {
      url: 'https://www.fastmail.help/hc/en-us/articles/360058752854-App-passwords',
      text: 'Make an app password in Fastmail',
    },
  },
  {
    id: 'icloud',
    label: 'iCloud',
    imap: { host: 'imap.mail.me.com', port: 993, security: 'tls' },
    caldav: { url: 'https://caldav.icloud.com/' },
    passwords: { url: 'https://support.apple.com/en-us/102654', text: 'Make an app-specific password for iCloud' },
  },
  {
    id: 'yahoo',
    label: 'Yahoo',
    imap: { host: 'imap.mail.yahoo.com', port: 993, security: 'tls' },
    caldav: { url: 'https://caldav.calendar.yahoo.com/' },
    passwords: { url: 'https://help.yahoo.com/kb/SLN15241.html', text: 'Make an app password in Yahoo' },
  },
  {
    id: 'gmail',
    label: 'Gmail by IMAP',
    imap: { host: 'imap.gmail.com', port: 993, security: 'tls' },
    passwords: { url: 'https://myaccount.google.com/apppasswords', text: 'Make an app password in Google' },
    note: 'Google calendars need the Google account above, not a password.',
  },
  {
    id: 'proton',
    label: 'Proton Mail Bridge',
    imap: { host: '127.0.0.1', port: 1143, security: 'starttls' },
    passwords: { url: 'https://proton.me/mail/bridge', text: 'About Proton Mail Bridge' },
    note: 'Use the password Bridge shows for this mailbox, not your Proton password. Bridge must be running, and its certificate trusted by this computer.',
  },
  { id: 'custom', label: 'Another server' },
];

export function presetsFor(kind: 'imap' | 'caldav'): Preset[] {
  return PRESETS.filter((p) => p.id === 'custom' || p[kind]);
}
