import type { PreferenceModel } from './model.ts';

/** Below this the model has no real opinion yet, so it is not worth saying. */
const SAY_FROM = 0.1;

/** What the model has learned, in words: "You like posts from Rust Blog (3 👍, 0 👎)". */
export function describeLearned(model: PreferenceModel, now: number): { label: string; weight: number }[] {
  return (
    model
      .learned(now)
      // A word is worth saying once it has been voted on twice and we know how it is spelt.
      .filter(
        (f) =>
          Math.abs(f.evidence) >= SAY_FROM &&
          f.group !== 'kind' &&
          (f.group !== 'term' || (f.ups + f.downs >= 2 && model.knowsWord(f.key.slice('term:'.length)))),
      )
      .map((f) => {
        const value = f.key.slice(f.key.indexOf(':') + 1);
        const verb = f.evidence > 0 ? 'You like' : 'You skip';
        const votes = `(${String(f.ups)} 👍, ${String(f.downs)} 👎)`;
        let what: string;
        switch (f.group) {
          case 'feed':
            what = `posts from ${value.slice(value.indexOf('/') + 1)}`;
            break;
          case 'sender':
            what = `email from ${value}`;
            break;
          case 'domain':
            what = `items from ${value}`;
            break;
          case 'source':
            what = `items from ${value}`;
            break;
          case 'category':
            what = `${value} items`;
            break;
          default:
            what = `items about “${model.word(value)}”`;
        }
        return { label: `${verb} ${what} ${votes}`, weight: Math.round(f.evidence * 100) / 100 };
      })
  );
}
