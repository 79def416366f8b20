/**
 * The keyring helper process (started by keyring-process.ts): it does the OS keyring calls the CLI asks for over
 * the IPC channel, one JSON message each way, so that a keyring that never answers stalls this process, which the
 * CLI can stop, and never the CLI itself. On Linux the keyring module connects to D-Bus synchronously, on the
 * JavaScript thread, and waits on an unlock prompt for as long as it is shown: neither can be cut short in-process.
 * Values cross only the IPC channel (a socket pair between the two processes): never stdout, stderr or a log.
 */
import type { KeyringRequest, KeyringReply } from './keyring-process.ts';
import { keyringCall } from './keyring-store.ts';

process.on('message', ({ id, ...op }: KeyringRequest) => {
  void keyringCall(op).then((answer) => {
    const reply: KeyringReply = { id, ...answer };
    process.send?.(reply);
  });
});
// The CLI is gone (it ended, or was killed): nothing is waiting for an answer.
process.on('disconnect', () => process.exit(0));
