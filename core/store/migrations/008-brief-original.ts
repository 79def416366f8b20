/**
 * A brief as it was written, kept when a vote re-ranks it, so every re-rank starts from the original
 * (a mute then an unmute gives back the model's bullets; scores never stack).
 * Shipped: never edit it; add the next number.
 */
export const description =
  'a brief as it was written, kept when a vote re-ranks it, so every re-rank starts from the original';

export const sql = `
  ALTER TABLE briefs ADD COLUMN original_json TEXT;
  `;
