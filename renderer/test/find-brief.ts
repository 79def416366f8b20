import { screen } from '@testing-library/preact';

/**
 * The whole brief on screen: the TL;DR comes first, the day and the sections a frame later (see
 * BriefView), and the closing line only once every section is there.
 */
export async function findBrief(): Promise<HTMLElement> {
  const tldr = await screen.findByTestId('brief-tldr');
  await screen.findByTestId('brief-end');
  return tldr;
}
