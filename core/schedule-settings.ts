import { z } from 'zod';

/** "06:30": a 24-hour wall-clock time, read in `location.timezone`. */
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a 24-hour time such as "06:30"');

/** When the background refresh runs: once a day at `dailyAt`, and every `everyMinutes` if set. */
export const scheduleSchema = z.strictObject({
  dailyAt: clockTime.default('06:30'),
  everyMinutes: z.int().min(5).max(1440).optional(),
});

export const desktopSchema = z.strictObject({
  /** Start the desktop app (hidden, in the tray) when the user logs in. */
  startAtLogin: z.boolean().default(false),
});

export type ScheduleSettings = z.infer<typeof scheduleSchema>;
export type DesktopSettings = z.infer<typeof desktopSchema>;
