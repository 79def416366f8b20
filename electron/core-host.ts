// The core's own process (Electron utilityProcess): the workflow, the Chroma supervisor and every SQLite
// write run here, so nothing the core does can stall the window. It talks to main over one MessagePort.
import type { MessagePortMain } from 'electron';
import { describeError } from '../core/errors.ts';
import { resolveDataDir } from '../core/paths.ts';
import { coreFailedEvent } from './core-failure.ts';
import { startCoreHost } from './host.ts';
import { remoteSecrets } from './remote-secrets.ts';
import { serveHost, type FromHost, type Port, type ToHost } from './rpc.ts';

function wrap(port: MessagePortMain): Port<ToHost, FromHost> {
  return {
    post: (message) => {
      port.postMessage(message);
    },
    onMessage: (listener) => {
      port.on('message', (event) => {
        listener(event.data as ToHost);
      });
    },
  };
}

const EXIT_GRACE_MS = 250;

// The Chroma supervisor starts its server with process.execPath, which here is Electron: make it act as node.
process.env.ELECTRON_RUN_AS_NODE = '1';

process.parentPort.once('message', (event) => {
  const [raw] = event.ports;
  if (!raw) return;
  const port = wrap(raw);
  raw.start();
  const remote = remoteSecrets('OS keyring, else Electron safeStorage', (request) => {
    port.post(request);
  });
  void startCoreHost({
    runtime: {
      dataDir: resolveDataDir(),
      desktop: true,
      secrets: remote.secrets,
      openUrl: (url) => {
        port.post({ kind: 'open-external', url });
      },
    },
    emit: (hostEvent) => {
      port.post({ kind: 'event', event: hostEvent });
    },
  }).then(
    (handlers) => {
      serveHost(
        port,
        {
          ...handlers,
          stop: async () => {
            await handlers.stop();
            setImmediate(() => process.exit(0));
          },
        },
        { secretReply: remote.receive },
      );
    },
    (error: unknown) => {
      // The error itself to stderr, which main keeps for the log file (and, without paths, the error box); the
      // window hears it in plain words.
      console.error(`the app's core could not start: ${describeError(error)}`);
      port.post({ kind: 'event', event: coreFailedEvent(error) });
      // The open port would keep a core that cannot serve alive: give the message a moment to go, then exit.
      setTimeout(() => process.exit(1), EXIT_GRACE_MS);
    },
  );
});
