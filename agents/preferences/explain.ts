import type { Counts, PreferenceModel } from './model.ts';

/** Below this the model has no real opinion yet, so it is not worth saying. */
const SAY_FROM = 0.1;

/** What the model has learned, in words: "You like posts from Rust Blog (3 more, 0 less)". */
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
        const votes = `(${String(f.ups)} more, ${String(f.downs)} less)`;
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

/** A learned feature as a reason for one item: "you liked 3 posts from Rust Blog". */
export function featureReason(key: string, counts: Counts): string {
  const value = key.slice(key.indexOf(':') + 1);
  const group = key.slice(0, key.indexOf(':'));
  const liked = counts.up >= counts.down;
  const n = liked ? counts.ups : counts.downs;
  const verb = liked ? 'liked' : 'disliked';
  const things = (noun: string): string => `${String(n)} ${noun}${n === 1 ? '' : 's'}`;
  switch (group) {
    case 'feed':
      return `you ${verb} ${things('post')} from ${value.slice(value.indexOf('/') + 1)}`;
    case 'sender':
      return `you ${verb} ${things('message')} from ${value}`;
    case 'domain':
    case 'source':
      return `you ${verb} ${things('item')} from ${value}`;
    case 'category':
      return `you ${verb} ${things('item')} about ${value}`;
    default:
      return `you ${verb} ${things(`${value} item`)}`;
  }
}

export function termReason(word: string, total: number): string {
  return total >= 0 ? `about “${word}”, which you tend to like` : `about “${word}”, which you tend to skip`;
}
