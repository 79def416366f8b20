/**
 * The value, or undefined when the promise fails or takes longer than `ms`: for waits that must not hang on an
 * answer that may never come (a locked keyring, a slow first read). No Node APIs, so the renderer can use it too.
 */
export function settleWithin<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms, undefined);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      () => {
        clearTimeout(timer);
        resolve(undefined);
      },
    );
  });
}
