import { z } from 'zod';

/** Settings for the password accounts' sources. The accounts themselves are in the store, their secrets elsewhere. */
export const imapSourceSchema = z.strictObject({
  enabled: z.boolean().default(true),
  lookbackDays: z.int().min(1).max(60).default(3),
  maxMessages: z.int().min(1).max(500).default(50),
});

export const caldavSourceSchema = z.strictObject({ enabled: z.boolean().default(true) });

export const icsSourceSchema = z.strictObject({ enabled: z.boolean().default(true) });
