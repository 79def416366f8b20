import { snapshotOf } from '../agents/preferences/features.ts';
import {
  defaultMuteScope,
  describeMute,
  muteValue,
  type FeedbackEvent,
  type ItemAction,
  type Mute,
  type MuteScope,
} from '../agents/preferences/events.ts';
import { PreferenceModel } from '../agents/preferences/model.ts';
import { rerankBrief } from '../agents/preferences/rerank.ts';
import type { Candidate } from '../agents/ranking/personal.ts';
import { describeLearned } from '../agents/preferences/explain.ts';
import type { Clock } from '../core/clock.ts';
import { AppError } from '../core/errors.ts';
import type { Store } from '../core/store/store.ts';
import type { Brief } from '../core/types.ts';
import type { FeedbackResult, Preferences } from '../contract/results.ts';

export type { FeedbackResult, Preferences } from '../contract/results.ts';

export interface FeedbackInput {
  itemId: string;
  action: ItemAction;
  scope?: MuteScope;
  /** For a topic mute: the topic (default: the item's category). */
  value?: string;
}

const LEARNED_SHOWN = 15;

/**
 * Feedback in, preferences out. Every action is appended to the log, folded into the model online, and
 * the latest brief is re-ranked and stored again in the same call, so the next read shows the new order.
 */
export class PreferenceService {
  private readonly store: Store;
  private readonly clock: Clock;
  private model: PreferenceModel | undefined;
  private interests: string[] = [];
  private cached: Pool | undefined;

  constructor(store: Store, clock: Clock) {
    this.store = store;
    this.clock = clock;
  }

  /** The model, caught up with the log (another process may have appended since). */
  current(interests: string[]): PreferenceModel {
    if (!this.model || interests.join('\n') !== this.interests.join('\n')) {
      this.interests = [...interests];
      this.model = new PreferenceModel(interests);
    }
    this.catchUp(this.model);
    return this.model;
  }

  /** Everything in the log the model has not seen, this process's events and any other's, in log order. */
  private catchUp(model: PreferenceModel): void {
    for (const event of this.store.feedback.events(model.lastSeq)) model.apply(event);
  }

  feedback(input: FeedbackInput, interests: string[]): FeedbackResult {
    const model = this.current(interests);
    const item = this.store.getItem(input.itemId);
    if (!item) {
      throw new AppError('unknown_item', `there is no item "${input.itemId}"`, {
        hint: 'Item ids are shown by `daily-brief show --json`',
      });
    }
    if (item.kind === 'weather') {
      throw new AppError('not_votable', 'the weather cannot be voted on', { hint: 'Vote on email, events or news' });
    }
    const snapshot = snapshotOf(item);
    const title = quote(item.title);
    const event: Omit<FeedbackEvent, 'seq'> = {
      at: this.clock.now().toISOString(),
      itemId: item.id,
      action: input.action,
      snapshot,
    };
    let message: string;
    switch (input.action) {
      case 'up':
        message = `Noted: more like ${title}.`;
        break;
      case 'down':
        message = `Noted: less like ${title}.`;
        break;
      case 'mute':
      case 'unmute': {
        const mute = this.resolveMute(snapshot, input);
        if (input.action === 'unmute' && !model.isMuted(mute)) {
          throw new AppError('not_muted', `${describeMute(mute)} is not muted`, {
            hint: '`daily-brief preferences` lists what is muted',
          });
        }
        event.scope = mute.scope;
        event.value = mute.value;
        const hides = mute.scope === 'event' || mute.scope === 'series';
        message =
          input.action === 'mute'
            ? `${hides ? 'Hid' : 'Muted'} ${describeMute(mute)}: it will not appear until you ${hides ? 'show it again' : 'unmute it'}.`
            : `${hides ? 'Showing' : 'Unmuted'} ${describeMute(mute)} again.`;
        break;
      }
      case 'undo': {
        const last = model.lastAction(item.id);
        if (!last) {
          throw new AppError('nothing_to_undo', `there is nothing to undo for ${title}`, {
            hint: 'Undo takes back the last vote or mute made on that item',
          });
        }
        message = `Undid ${actionWords(last)} on ${title}.`;
        break;
      }
    }
    this.store.feedback.append(event);
    this.catchUp(model);
    const brief = this.rerankLatest(model);
    return { message: brief ? `${message} Today’s brief is re-ranked.` : message, brief };
  }

  /** Unmute from the list of mutes, where there is no item to point at. */
  unmute(mute: Mute, interests: string[]): FeedbackResult {
    const model = this.current(interests);
    if (!model.isMuted(mute)) {
      throw new AppError('not_muted', `${describeMute(mute)} is not muted`, {
        hint: '`daily-brief preferences` lists what is muted',
      });
    }
    this.store.feedback.append({
      at: this.clock.now().toISOString(),
      itemId: `mute:${mute.scope}:${mute.value}`,
      action: 'unmute',
      snapshot: { kind: 'news', source: 'preferences', title: describeMute(mute), terms: [], tags: [] },
      scope: mute.scope,
      value: mute.value,
    });
    this.catchUp(model);
    return { message: `Unmuted ${describeMute(mute)}.`, brief: this.rerankLatest(model) };
  }

  /** Forgets every vote and mute (a `reset` event, so the log itself keeps them). Interests stay. */
  reset(interests: string[]): Preferences {
    const model = this.current(interests);
    this.store.feedback.append({
      at: this.clock.now().toISOString(),
      itemId: '*',
      action: 'reset',
      snapshot: { kind: 'news', source: 'preferences', title: 'reset', terms: [], tags: [] },
    });
    this.catchUp(model);
    this.rerankLatest(model);
    return this.preferences(interests);
  }

  preferences(interests: string[]): Preferences {
    const model = this.current(interests);
    const now = this.clock.now().getTime();
    return {
      interests: [...interests],
      eventCount: model.eventCount,
      learned: describeLearned(model, now).slice(0, LEARNED_SHOWN),
      mutes: model.activeMutes().map((m) => ({ ...m, label: describeMute(m) })),
    };
  }

  private pool(briefId: string): Pool {
    if (this.cached?.briefId !== briefId) {
      this.cached = {
        briefId,
        candidates: this.store.feedback.candidates(briefId).map((c) => ({ ...c, snapshot: snapshotOf(c.item) })),
        vectors: this.store.feedback.rankVectors(),
      };
    }
    return this.cached;
  }

  private resolveMute(snapshot: ReturnType<typeof snapshotOf>, input: FeedbackInput): Mute {
    const scope = input.scope ?? (input.value ? 'topic' : defaultMuteScope(snapshot));
    if (scope === 'topic' && !input.value?.trim()) {
      throw new AppError('cannot_mute', 'which topic? Name the words to mute', {
        hint: 'Give the topic, for example “crypto”',
      });
    }
    const value = muteValue(snapshot, scope, input.value);
    if (!value) {
      const what =
        snapshot.kind === 'event' ? 'Hide this event, or events like this' : 'Mute its sender, feed or a topic';
      throw new AppError('cannot_mute', `this item has no ${scope} to mute`, { hint: what });
    }
    return { scope, value };
  }

  private rerankLatest(model: PreferenceModel): Brief | null {
    const latestId = this.store.latestBrief()?.id;
    // Always from the brief as it was written, so a mute then an unmute gives back the model's bullets too.
    const original = latestId ? this.store.originalBrief(latestId) : undefined;
    if (!original) return null;
    const pool = this.pool(original.id);
    const brief = rerankBrief(
      original,
      pool.candidates,
      model,
      pool.vectors.size ? (id) => pool.vectors.get(id) : undefined,
    );
    this.store.replaceBrief(brief);
    return brief;
  }
}

/** A brief's candidates never change, so vote after vote they are read, parsed and featurized once. */
interface Pool {
  briefId: string;
  candidates: Candidate[];
  vectors: Map<string, number[]>;
}

function quote(title: string): string {
  return `“${title.length > 70 ? `${title.slice(0, 67)}…` : title}”`;
}

function actionWords(event: FeedbackEvent): string {
  switch (event.action) {
    case 'up':
      return 'your vote for more';
    case 'down':
      return 'your vote for less';
    case 'mute':
      return `the mute of ${event.scope ?? ''} ${event.value ?? ''}`.replace(/\s+/g, ' ');
    case 'unmute':
      return `the unmute of ${event.scope ?? ''} ${event.value ?? ''}`.replace(/\s+/g, ' ');
    default:
      return 'your last action';
  }
}
