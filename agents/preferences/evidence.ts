/**
 * How votes on a feature become evidence: decayed counts of up and down votes, compared with the user's
 * overall rate of up votes as a smoothed log-odds difference.
 */

const HALF_LIFE_DAYS = 60;
/**
 * Pseudo-votes at the user's overall rate: thin evidence stays close to "no opinion". 4 rather than 2: the
 * groups' log-odds are summed and still overlap (feed and terms say much the same of a story), so weaker single
 * features keep the sum in the part of the ranker's span where it still orders items (eval:ranking, other seeds).
 */
const ALPHA = 4;
/**
 * Evidence stops growing at this many votes' worth: past it only the share of up votes counts. Otherwise a
 * feed that posts more, or a topic that more feeds carry, gathers more votes and passes one the user likes
 * more (eval:ranking: the learning that stalled or fell between 25 and 50 votes).
 */
const EVIDENCE_CAP = 5;

export interface Counts {
  up: number;
  down: number;
  /** Undecayed, for the explanation ("you liked 3 posts…"). */
  ups: number;
  downs: number;
}

/**
 * How much more (or less) often items with this feature were liked than items in general, as a
 * log-odds difference. Measured against the user's own rate, a feature every liked item has (the kind,
 * a common word) says nothing, and a feature seen once stays near zero.
 */
export function lift(counts: Counts, decay: number, rate: number): number {
  const seen = (counts.up + counts.down) * decay;
  const scale = seen > EVIDENCE_CAP ? (decay * EVIDENCE_CAP) / seen : decay;
  const up = counts.up * scale;
  const down = counts.down * scale;
  const posterior = (up + ALPHA * rate) / (up + down + ALPHA);
  return logit(posterior) - logit(rate);
}

function logit(p: number): number {
  const q = Math.min(1 - 1e-6, Math.max(1e-6, p));
  return Math.log(q / (1 - q));
}

/** What a vote `ms` old still counts for. */
export function decayFactor(ms: number): number {
  return Math.pow(0.5, Math.max(0, ms) / (HALF_LIFE_DAYS * 86_400_000));
}
