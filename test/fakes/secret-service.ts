import { createCipheriv, createDecipheriv, createDiffieHellmanGroup, hkdfSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * How the fake keyring behaves:
 * - `mute`: a session bus that takes the connection and never says a word, not even to the login handshake (a
 *   frozen dbus-daemon, a dead forwarded socket);
 * - `silent`: the bus works, and a Secret Service owns its name, but never answers a call;
 * - `locked`: the Secret Service answers, but its collection is locked and the unlock prompt it shows is never
 *   answered (nobody sees it: a headless session, another seat);
 * - `working`: an unlocked, in-memory Secret Service.
 */
export type KeyringMode = 'mute' | 'silent' | 'locked' | 'working';

export interface FakeKeyring {
  /** Point a process at it: `DBUS_SESSION_BUS_ADDRESS`, and `DAILY_BRIEF_NO_KEYRING` cleared. */
  env: Record<string, string>;
  /** Method calls received, as "Interface.Member" (never an argument: some carry secrets). */
  calls: string[];
  /** Secrets kept, by the username attribute the keyring crate writes (our secret key). */
  items: Map<string, string>;
  /** From the next call on (a `locked` keyring unlocked by its user: `working`). */
  setMode(mode: KeyringMode): void;
  close(): Promise<void>;
}

/**
 * A D-Bus session bus with a Secret Service on it (org.freedesktop.secrets), spoken over a Unix socket with the
 * real wire protocol, so the app's keyring module (@napi-rs/keyring, libdbus inside) runs unchanged against it.
 * One process plays the bus and the service: it answers the bus's own calls (Hello, AddMatch) and the Secret
 * Service's (sessions with the dh-ietf1024 key exchange, search, create, read, delete, unlock prompts).
 * `items` seeds the keyring; in `locked` mode they are there, but behind the lock.
 */
export async function startFakeKeyring(mode: KeyringMode, items: Record<string, string> = {}): Promise<FakeKeyring> {
  const dir = mkdtempSync(join(tmpdir(), 'db-fake-bus-'));
  const path = join(dir, 'bus');
  const calls: string[] = [];
  const state = new ServiceState(new Map(Object.entries(items)));
  const sockets = new Set<Socket>();
  const current = { mode };
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    if (current.mode === 'mute') {
      socket.resume();
      return;
    }
    serveConnection(socket, current, state, calls);
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return {
    env: { DBUS_SESSION_BUS_ADDRESS: `unix:path=${path}`, DAILY_BRIEF_NO_KEYRING: '' },
    calls,
    items: state.items,
    setMode: (next) => {
      current.mode = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        });
      }),
  };
}

const BUS = 'org.freedesktop.DBus';
const SECRETS = 'org.freedesktop.secrets';
const COLLECTION = '/org/freedesktop/secrets/collection/login';
const NO_PROMPT = '/';

class ServiceState {
  readonly items: Map<string, string>;
  /** Item object path → the username attribute (our key). */
  readonly paths = new Map<string, string>();
  readonly attributes = new Map<string, Record<string, string>>();
  sessions = new Map<string, Buffer | undefined>();
  next = 1;

  constructor(items: Map<string, string>) {
    this.items = items;
    for (const key of items.keys()) this.add(key, { service: 'daily-brief', username: key });
  }

  add(key: string, attributes: Record<string, string>): string {
    const existing = [...this.paths].find(([, k]) => k === key)?.[0];
    if (existing) return existing;
    const path = `${COLLECTION}/${String(this.next++)}`;
    this.paths.set(path, key);
    this.attributes.set(path, attributes);
    return path;
  }

  remove(path: string): void {
    const key = this.paths.get(path);
    if (key !== undefined) this.items.delete(key);
    this.paths.delete(path);
    this.attributes.delete(path);
  }

  search(wanted: Record<string, string>): string[] {
    return [...this.attributes]
      .filter(([, attributes]) => Object.entries(wanted).every(([k, v]) => attributes[k] === v))
      .map(([path]) => path);
  }
}

function serveConnection(socket: Socket, current: { mode: KeyringMode }, state: ServiceState, calls: string[]): void {
  let buffer = Buffer.alloc(0);
  let authenticated = false;
  let serial = 1;
  const send = (message: OutMessage) => {
    socket.write(encodeMessage({ ...message, serial: serial++ }));
  };
  socket.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    while (!authenticated) {
      if (buffer[0] === 0) buffer = buffer.subarray(1);
      const end = buffer.indexOf('\r\n');
      if (end < 0) return;
      const line = buffer.subarray(0, end).toString('latin1');
      buffer = buffer.subarray(end + 2);
      if (line.startsWith('AUTH EXTERNAL')) socket.write(`OK ${randomBytes(16).toString('hex')}\r\n`);
      else if (line === 'NEGOTIATE_UNIX_FD') socket.write('AGREE_UNIX_FD\r\n');
      else if (line === 'BEGIN') authenticated = true;
      else socket.write('REJECTED EXTERNAL\r\n');
    }
    for (;;) {
      const message = decodeMessage(buffer);
      if (!message) return;
      buffer = buffer.subarray(message.length);
      if (message.type !== 1) continue;
      calls.push(`${message.interface ?? ''}.${message.member ?? ''}`.replace(/^org\.freedesktop\./, ''));
      const reply = (signature: string, body: unknown[]) => {
        send({ type: 2, replySerial: message.serial, signature, body, destination: message.sender });
      };
      const fail = (name: string, text: string) => {
        send({ type: 3, replySerial: message.serial, errorName: name, signature: 's', body: [text] });
      };
      if (message.destination === BUS) {
        if (message.member === 'Hello') reply('s', [':1.1']);
        else if (message.member === 'GetNameOwner') reply('s', [':1.0']);
        else reply('', []);
        continue;
      }
      if (message.destination !== SECRETS) {
        fail('org.freedesktop.DBus.Error.ServiceUnknown', 'no such name');
        continue;
      }
      const { mode } = current;
      if (mode === 'silent') continue;
      answerSecrets(message, mode, state, reply, fail, (prompt) => {
        // `working` completes every prompt at once; `locked` shows one nobody answers.
        if (mode === 'working') {
          send({
            type: 4,
            path: prompt,
            interface: 'org.freedesktop.Secret.Prompt',
            member: 'Completed',
            signature: 'bv',
            body: [false, ['ao', []]],
          });
        }
      });
    }
  });
}

type Reply = (signature: string, body: unknown[]) => void;
type Fail = (name: string, text: string) => void;

function answerSecrets(
  message: InMessage,
  mode: KeyringMode,
  state: ServiceState,
  reply: Reply,
  fail: Fail,
  prompted: (prompt: string) => void,
): void {
  const locked = mode === 'locked';
  const prompt = () => `/org/freedesktop/secrets/prompt/p${String(state.next++)}`;
  const body = message.body;
  switch (message.member) {
    case 'OpenSession': {
      const [algorithm, [, input]] = body as [string, [string, Buffer]];
      const session = `/org/freedesktop/secrets/session/s${String(state.next++)}`;
      if (algorithm === 'plain') {
        state.sessions.set(session, undefined);
        reply('vo', [['s', ''], session]);
        return;
      }
      const dh = createDiffieHellmanGroup('modp2');
      dh.generateKeys();
      const shared = dh.computeSecret(input);
      const padded = Buffer.concat([Buffer.alloc(128 - shared.length), shared]);
      state.sessions.set(session, Buffer.from(hkdfSync('sha256', padded, Buffer.alloc(0), Buffer.alloc(0), 16)));
      reply('vo', [['ay', dh.getPublicKey()], session]);
      return;
    }
    case 'SearchItems': {
      const found = state.search(Object.fromEntries(body[0] as [string, string][]));
      reply('aoao', locked ? [[], found] : [found, []]);
      return;
    }
    case 'ReadAlias':
      reply('o', [body[0] === 'default' ? COLLECTION : '/']);
      return;
    case 'Unlock': {
      if (!locked) {
        reply('aoo', [body[0], NO_PROMPT]);
        return;
      }
      reply('aoo', [[], prompt()]);
      return;
    }
    case 'Prompt':
      reply('', []);
      prompted(message.path ?? '');
      return;
    case 'Get': {
      const [, property] = body as [string, string];
      const path = message.path ?? '';
      if (property === 'Locked') reply('v', [['b', locked]]);
      else if (property === 'Attributes') reply('v', [['a{ss}', Object.entries(state.attributes.get(path) ?? {})]]);
      else if (property === 'Label') reply('v', [['s', 'Daily Brief']]);
      else if (property === 'Collections') reply('v', [['ao', [COLLECTION]]]);
      else fail('org.freedesktop.DBus.Error.UnknownProperty', property);
      return;
    }
    case 'CreateItem': {
      if (locked) {
        fail('org.freedesktop.Secret.Error.IsLocked', 'the collection is locked');
        return;
      }
      const [properties, secret] = body as [[string, [string, unknown]][], SecretStruct];
      const attributes = Object.fromEntries(
        (properties.find(([name]) => name === 'org.freedesktop.Secret.Item.Attributes')?.[1][1] ?? []) as [
          string,
          string,
        ][],
      );
      const key = attributes.username ?? '';
      const item = state.add(key, attributes);
      state.items.set(key, decrypt(state, secret));
      reply('oo', [item, NO_PROMPT]);
      return;
    }
    case 'GetSecret': {
      const key = state.paths.get(message.path ?? '');
      const session = body[0] as string;
      if (key === undefined || locked) {
        fail('org.freedesktop.Secret.Error.IsLocked', 'locked or missing');
        return;
      }
      reply('(oayays)', [encrypt(state, session, state.items.get(key) ?? '')]);
      return;
    }
    case 'SetSecret': {
      const key = state.paths.get(message.path ?? '');
      if (key !== undefined) state.items.set(key, decrypt(state, body[0] as SecretStruct));
      reply('', []);
      return;
    }
    case 'Delete':
      state.remove(message.path ?? '');
      reply('o', [NO_PROMPT]);
      return;
    default:
      fail('org.freedesktop.DBus.Error.UnknownMethod', message.member ?? '');
  }
}

type SecretStruct = [string, Buffer, Buffer, string];

function decrypt(state: ServiceState, [session, iv, value]: SecretStruct): string {
  const key = state.sessions.get(session);
  if (!key) return value.toString('utf8');
  const decipher = createDecipheriv('aes-128-cbc', key, iv);
  return Buffer.concat([decipher.update(value), decipher.final()]).toString('utf8');
}

function encrypt(state: ServiceState, session: string, value: string): SecretStruct {
  const key = state.sessions.get(session);
  const mime = 'application/octet-stream';
  if (!key) return [session, Buffer.alloc(0), Buffer.from(value, 'utf8'), mime];
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-128-cbc', key, iv);
  return [session, iv, Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]), mime];
}

// --- The D-Bus wire format, little-endian, for the types the Secret Service uses. ---

interface InMessage {
  length: number;
  type: number;
  serial: number;
  path?: string;
  interface?: string;
  member?: string;
  destination?: string;
  sender?: string;
  body: unknown[];
}

interface OutMessage {
  type: number;
  replySerial?: number;
  path?: string;
  interface?: string;
  member?: string;
  errorName?: string;
  destination?: string | undefined;
  signature: string;
  body: unknown[];
}

const FIELD = { path: 1, interface: 2, member: 3, errorName: 4, replySerial: 5, destination: 6 } as const;
const FIELD_TYPE: Record<number, string> = { 1: 'o', 2: 's', 3: 's', 4: 's', 5: 'u', 6: 's', 7: 's', 8: 'g', 9: 'u' };

function encodeMessage(message: OutMessage & { serial: number }): Buffer {
  const body = new Writer();
  for (const [type, value] of zip(splitTypes(message.signature), message.body)) body.write(type, value);
  const fields: [number, [string, unknown]][] = [];
  for (const [name, code] of Object.entries(FIELD)) {
    const value = message[name as keyof typeof FIELD];
    if (value !== undefined) fields.push([code, [FIELD_TYPE[code] ?? 's', value]]);
  }
  if (message.signature) fields.push([8, ['g', message.signature]]);
  const head = new Writer();
  head.write('y', 'l'.charCodeAt(0));
  head.write('y', message.type);
  head.write('y', message.type === 1 ? 0 : 1);
  head.write('y', 1);
  head.write('u', body.length);
  head.write('u', message.serial);
  head.write('a(yv)', fields);
  head.align(8);
  return Buffer.concat([head.bytes(), body.bytes()]);
}

function decodeMessage(buffer: Buffer): InMessage | undefined {
  if (buffer.length < 16) return undefined;
  const fieldsLength = buffer.readUInt32LE(12);
  const headerEnd = 16 + fieldsLength + ((8 - ((16 + fieldsLength) % 8)) % 8);
  const total = headerEnd + buffer.readUInt32LE(4);
  if (buffer.length < total) return undefined;
  const head = new Reader(buffer.subarray(0, headerEnd), 12);
  const fields = new Map((head.read('a(yv)') as [number, [string, unknown]][]).map(([code, [, v]]) => [code, v]));
  const signature = (fields.get(8) as string | undefined) ?? '';
  const reader = new Reader(buffer.subarray(headerEnd, total), 0);
  const body = splitTypes(signature).map((type) => reader.read(type));
  const text = (code: number) => fields.get(code) as string | undefined;
  return {
    length: total,
    type: buffer[1] ?? 0,
    serial: buffer.readUInt32LE(8),
    ...optional({ path: text(1), interface: text(2), member: text(3), destination: text(6), sender: text(7) }),
    body,
  };
}

function optional<T extends Record<string, string | undefined>>(value: T): Partial<Record<keyof T, string>> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<
    Record<keyof T, string>
  >;
}

function zip<A, B>(a: A[], b: B[]): [A, B][] {
  return a.map((value, index) => [value, b[index] as B]);
}

/** "a{sv}(oayays)b" → ["a{sv}", "(oayays)", "b"]. */
function splitTypes(signature: string): string[] {
  const types: string[] = [];
  let index = 0;
  while (index < signature.length) {
    const end = typeEnd(signature, index);
    types.push(signature.slice(index, end));
    index = end;
  }
  return types;
}

function typeEnd(signature: string, start: number): number {
  const char = signature[start];
  if (char === 'a') return typeEnd(signature, start + 1);
  if (char === '(' || char === '{') {
    const close = char === '(' ? ')' : '}';
    let index = start + 1;
    while (signature[index] !== close) index = typeEnd(signature, index);
    return index + 1;
  }
  return start + 1;
}

function alignment(type: string): number {
  switch (type[0]) {
    case 'y':
    case 'g':
    case 'v':
      return 1;
    case 'n':
    case 'q':
      return 2;
    case 'x':
    case 't':
    case 'd':
    case '(':
    case '{':
      return 8;
    default:
      return 4;
  }
}

class Writer {
  private chunks: number[] = [];
  get length(): number {
    return this.chunks.length;
  }
  bytes(): Buffer {
    return Buffer.from(this.chunks);
  }
  align(n: number): void {
    while (this.chunks.length % n) this.chunks.push(0);
  }
  private u32(value: number): void {
    this.align(4);
    const b = Buffer.alloc(4);
    b.writeUInt32LE(value);
    this.chunks.push(...b);
  }
  write(type: string, value: unknown): void {
    switch (type[0]) {
      case 'y':
        this.chunks.push(value as number);
        return;
      case 'b':
        this.u32(value ? 1 : 0);
        return;
      case 'u':
      case 'i':
        this.u32(value as number);
        return;
      case 's':
      case 'o': {
        const text = Buffer.from(value as string, 'utf8');
        this.u32(text.length);
        this.chunks.push(...text, 0);
        return;
      }
      case 'g': {
        const text = Buffer.from(value as string, 'utf8');
        this.chunks.push(text.length, ...text, 0);
        return;
      }
      case 'v': {
        const [signature, inner] = value as [string, unknown];
        this.write('g', signature);
        this.write(signature, inner);
        return;
      }
      case 'a': {
        const element = type.slice(1);
        this.u32(0);
        const at = this.chunks.length - 4;
        this.align(alignment(element));
        const start = this.chunks.length;
        const items = element === 'y' ? [...(value as Uint8Array)] : (value as unknown[]);
        for (const item of items) this.write(element, item);
        const b = Buffer.alloc(4);
        b.writeUInt32LE(this.chunks.length - start);
        this.chunks.splice(at, 4, ...b);
        return;
      }
      case '(':
      case '{': {
        this.align(8);
        const parts = splitTypes(type.slice(1, -1));
        for (const [part, item] of zip(parts, value as unknown[])) this.write(part, item);
        return;
      }
      default:
        throw new Error(`cannot write D-Bus type ${type}`);
    }
  }
}

class Reader {
  private readonly buffer: Buffer;
  private offset: number;
  constructor(buffer: Buffer, offset: number) {
    this.buffer = buffer;
    this.offset = offset;
  }
  private align(n: number): void {
    this.offset += (n - (this.offset % n)) % n;
  }
  private u32(): number {
    this.align(4);
    const value = this.buffer.readUInt32LE(this.offset);
    this.offset += 4;
    return value;
  }
  read(type: string): unknown {
    switch (type[0]) {
      case 'y':
        return this.buffer[this.offset++];
      case 'b':
        return this.u32() !== 0;
      case 'u':
      case 'i':
        return this.u32();
      case 'x':
      case 't': {
        this.align(8);
        const value = this.buffer.readBigUInt64LE(this.offset);
        this.offset += 8;
        return value;
      }
      case 's':
      case 'o': {
        const length = this.u32();
        const text = this.buffer.toString('utf8', this.offset, this.offset + length);
        this.offset += length + 1;
        return text;
      }
      case 'g': {
        const length = this.buffer[this.offset++] ?? 0;
        const text = this.buffer.toString('utf8', this.offset, this.offset + length);
        this.offset += length + 1;
        return text;
      }
      case 'v': {
        const signature = this.read('g') as string;
        return [signature, this.read(signature)];
      }
      case 'a': {
        const element = type.slice(1);
        const length = this.u32();
        this.align(alignment(element));
        const end = this.offset + length;
        if (element === 'y') {
          const bytes = Buffer.from(this.buffer.subarray(this.offset, end));
          this.offset = end;
          return bytes;
        }
        const items: unknown[] = [];
        while (this.offset < end) items.push(this.read(element));
        return items;
      }
      case '(':
      case '{': {
        this.align(8);
        return splitTypes(type.slice(1, -1)).map((part) => this.read(part));
      }
      default:
        throw new Error(`cannot read D-Bus type ${type}`);
    }
  }
}
