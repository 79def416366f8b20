import type { Command } from 'commander';
import type { ApiArgs, ApiCall, ApiResults } from '../contract/calls.ts';
import type { AppEvent } from '../contract/events.ts';
import { resolveDataDir } from '../core/paths.ts';

/** The options every command honours, wherever on the line they were given (`preferences reset --demo`). */
export interface CliContext {
  dataDir?: string;
  verbose?: boolean;
  demo?: boolean;
  /** --json: stderr is kept for one-line failures. */
  json?: boolean;
}

export function contextOf(command: Command): CliContext {
  return command.optsWithGlobals<CliContext>();
}

type Call = <C extends ApiCall>(call: C, args: ApiArgs<C>) => Promise<ApiResults[C]>;

/**
 * Calls through the app's one dispatch, as HTTP and IPC make them: the same argument checks, the same
 * errors. The runtime is loaded here, on first use, so that registering the commands stays cheap.
 */
export async function withApp<T>(
  context: CliContext,
  run: (call: Call) => Promise<T>,
  onEvent?: (event: AppEvent) => void,
): Promise<T> {
  const { AppRuntime } = await import('../app/runtime.ts');
  const { unwrap } = await import('../contract/envelope.ts');
  // Notices (files made private) are said after the command succeeds: a failure stays one line, --json says none.
  const notices: string[] = [];
  const runtime = AppRuntime.open({
    dataDir: resolveDataDir(context.dataDir),
    demo: context.demo ?? false,
    verbose: context.verbose ?? false,
    report: (line: string) => notices.push(`daily-brief: ${line}\n`),
  });
  const unsubscribe = onEvent ? runtime.subscribe(onEvent) : undefined;
  try {
    const result = await run(async (call, args) => unwrap(await runtime.dispatch(call, args)) as never);
    if (!context.json) for (const line of notices) process.stderr.write(line);
    return result;
  } finally {
    unsubscribe?.();
    await runtime.stop();
  }
}

/** One call. */
export function callApp<C extends ApiCall>(
  context: CliContext,
  call: C,
  args: ApiArgs<C>,
  onEvent?: (event: AppEvent) => void,
): Promise<ApiResults[C]> {
  return withApp(context, (run) => run(call, args), onEvent);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
