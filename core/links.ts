/**
 * Only http(s) links leave the app; anything else from a feed or a mail (javascript:, file:, data:) is dropped.
 * Pure and dependency-free, so the renderer bundles this one function from the core.
 */
export function safeHttpUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}
