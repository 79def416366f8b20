import type { ChromaSupervisor } from './chroma-server.ts';

// ---- one process, many supervisors: stop every server when the process ends ----------------------

const live = new Set<ChromaSupervisor>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function stopAll(): void {
  for (const supervisor of live) supervisor.stopNow();
}

function onSignal(signal: NodeJS.Signals): void {
  stopAll();
  // Ours was the only listener: without it the signal would have ended the process, so end it the same way.
  if (process.listenerCount(signal) === 1) {
    unhook();
    process.kill(process.pid, signal);
  }
}

function hook(): void {
  process.on('exit', stopAll);
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

function unhook(): void {
  process.removeListener('exit', stopAll);
  for (const signal of SIGNALS) process.removeListener(signal, onSignal);
}

export function register(supervisor: ChromaSupervisor): void {
  if (live.size === 0) hook();
  live.add(supervisor);
}

export function unregister(supervisor: ChromaSupervisor): void {
  if (live.delete(supervisor) && live.size === 0) unhook();
}

/** The supervisors of this process that hold, or are taking, a lock. */
export function liveSupervisors(): ReadonlySet<ChromaSupervisor> {
  return live;
}
