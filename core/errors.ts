/**
 * The one error shape a user can see: what failed, what to do, and (for --verbose) why.
 * Transports turn it into `{ ok: false, error }`.
 */
export class AppError extends Error {
  readonly hint: string | undefined;
  readonly code: string;

  constructor(code: string, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.hint = options.hint;
  }

  /** One line: the problem, then the fix. */
  oneLine(): string {
    return this.hint ? `${this.message}. ${this.hint}` : this.message;
  }
}

/** A short, single-line description of any thrown value, for status fields and logs. */
export function describeError(error: unknown): string {
  if (error instanceof AppError) return error.oneLine();
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return firstLine(`${error.message}${cause}`);
  }
  return firstLine(String(error));
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}
