import { DEFAULT_CORPUS, generateCorpus, type CorpusOptions } from './corpus.ts';
import { AppRanker, CHECKPOINTS, KeywordBoostRanker, dayTime, mean, simulate, type UserRun } from './simulate.ts';
import { baseCandidates, rankCandidates } from '../../agents/ranking/personal.ts';
import { snapshotOf } from '../../agents/preferences/features.ts';
import { makeUsers } from './users.ts';

export interface EvalOptions {
  users: number;
  testDays: number;
  corpus: CorpusOptions;
}

export const DEFAULT_EVAL: EvalOptions = { users: 24, testDays: 5, corpus: DEFAULT_CORPUS };

export interface EvalReport {
  items: number;
  users: number;
  ndcg: Record<'app' | 'appWithInterests' | 'keywordBaseline' | 'keywordWithUrgency', Record<number, number>>;
  mutes: number;
  mutedShown: number;
  replay: { compared: number; identical: number; rankings: { compared: number; identical: number } };
  /** Stories the app ranker explored on the days users voted on, and how many of them got a vote. */
  exploration: { explored: number; voted: number };
}

export function evaluateRanking(options: EvalOptions = DEFAULT_EVAL): EvalReport {
  const days = generateCorpus(options.corpus);
  const training = days.slice(0, days.length - options.testDays);
  const test = days.slice(days.length - options.testDays);
  const users = makeUsers(options.users, options.corpus.seed + 7);
  const runs = {
    app: [] as UserRun[],
    appWithInterests: [] as UserRun[],
    keywordBaseline: [] as UserRun[],
    keywordWithUrgency: [] as UserRun[],
  };
  const replay = { compared: 0, identical: 0, rankings: { compared: 0, identical: 0 } };
  const exploration = { explored: 0, voted: 0 };
  const trainingIds = new Set(training.flat().map((e) => e.item.id));
  for (const user of users) {
    const app = new AppRanker();
    runs.app.push(simulate(user, app, training, test));
    runs.appWithInterests.push(simulate(user, new AppRanker([user.interest]), training, test));
    runs.keywordBaseline.push(simulate(user, new KeywordBoostRanker(), training, test, { mutes: false }));
    runs.keywordWithUrgency.push(
      simulate(user, new KeywordBoostRanker({ urgency: true }), training, test, { mutes: false }),
    );
    exploration.explored += [...app.explored].filter((id) => trainingIds.has(id)).length;
    exploration.voted += new Set(app.events.filter((e) => app.explored.has(e.itemId)).map((e) => e.itemId)).size;
    // The model is a projection of its log: folding the same events again must give the same scores.
    const replayed = app.replayed();
    for (const day of test) {
      const now = dayTime(day);
      const context = { now, timezone: 'UTC' };
      const candidates = baseCandidates(
        day.map((e) => e.item),
        new Set(),
        context,
      );
      // ...and the same day's ranking, with the story it explores and every reason.
      const online = rankCandidates(candidates, app.model, context);
      replay.rankings.compared++;
      if (JSON.stringify(online) === JSON.stringify(rankCandidates(candidates, replayed, context))) {
        replay.rankings.identical++;
      }
      for (const { item } of candidates) {
        const a = app.model.score(snapshotOf(item), now.getTime(), { itemId: item.id });
        const b = replayed.score(snapshotOf(item), now.getTime(), { itemId: item.id });
        replay.compared++;
        if (a.value === b.value && JSON.stringify(a) === JSON.stringify(b)) replay.identical++;
      }
    }
  }
  const table = (list: UserRun[]): Record<number, number> =>
    Object.fromEntries(CHECKPOINTS.map((cp) => [cp, mean(list.map((r) => r.ndcg[cp] ?? NaN))]));
  return {
    items: days.reduce((n, d) => n + d.length, 0),
    users: users.length,
    ndcg: {
      app: table(runs.app),
      appWithInterests: table(runs.appWithInterests),
      keywordBaseline: table(runs.keywordBaseline),
      keywordWithUrgency: table(runs.keywordWithUrgency),
    },
    mutes: runs.app.reduce((n, r) => n + r.mutes, 0) + runs.appWithInterests.reduce((n, r) => n + r.mutes, 0),
    mutedShown:
      runs.app.reduce((n, r) => n + r.mutedShown, 0) + runs.appWithInterests.reduce((n, r) => n + r.mutedShown, 0),
    replay,
    exploration,
  };
}
