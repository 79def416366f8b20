/** CI is set (and not to false or 0): a real service that cannot start fails the run instead of being skipped. */
export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env.CI;
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}
