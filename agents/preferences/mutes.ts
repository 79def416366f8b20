import type { ItemSnapshot } from './features.ts';
import { matchesMute, type FeedbackEvent, type Mute } from './events.ts';

/**
 * The mutes in force, each with the events that set it: undoing one of two mutes of the same sender leaves it
 * muted, and undoing an unmute puts back exactly what that unmute lifted.
 */
export class MuteSet {
  private readonly mutes = new Map<string, { mute: Mute; seqs: Set<number> }>();
  private readonly lifted = new Map<number, Set<number>>();

  mute(event: FeedbackEvent): void {
    this.add(event, [event.seq]);
  }

  unmute(event: FeedbackEvent): void {
    const key = keyOf(event);
    this.lifted.set(event.seq, this.mutes.get(key)?.seqs ?? new Set());
    this.mutes.delete(key);
  }

  /** Takes back a mute or an unmute event. */
  undo(event: FeedbackEvent): void {
    if (event.action === 'mute') {
      const entry = this.mutes.get(keyOf(event));
      entry?.seqs.delete(event.seq);
      if (entry && !entry.seqs.size) this.mutes.delete(keyOf(event));
    } else if (event.action === 'unmute') {
      const seqs = this.lifted.get(event.seq);
      if (seqs?.size) this.add(event, [...seqs]);
    }
  }

  clear(): void {
    this.mutes.clear();
    this.lifted.clear();
  }

  active(): Mute[] {
    return [...this.mutes.values()].map((m) => m.mute);
  }

  has(mute: Mute): boolean {
    return this.mutes.has(keyOf(mute));
  }

  matching(snapshot: ItemSnapshot): Mute | undefined {
    for (const { mute } of this.mutes.values()) if (matchesMute(snapshot, mute)) return mute;
    return undefined;
  }

  private add(event: FeedbackEvent, seqs: number[]): void {
    if (!event.scope || !event.value) return;
    const key = keyOf(event);
    const entry = this.mutes.get(key) ?? { mute: { scope: event.scope, value: event.value }, seqs: new Set<number>() };
    for (const seq of seqs) entry.seqs.add(seq);
    this.mutes.set(key, entry);
  }
}

function keyOf(mute: { scope?: string; value?: string }): string {
  return `${mute.scope ?? ''}:${mute.value ?? ''}`;
}
