import { describe, expect, it } from 'vitest';
import { addDays, localDate, localTime, zonedInstant, zoneOffsetMinutes } from './time.ts';

describe('time zone helpers', () => {
  it('gives the local date and time in the requested zone, not the machine zone', () => {
    const at = new Date('2026-12-01T23:30:00Z');
    expect(localDate(at, 'UTC')).toBe('2026-12-01');
    expect(localDate(at, 'Europe/Berlin')).toBe('2026-12-02');
    expect(localDate(at, 'America/Los_Angeles')).toBe('2026-12-01');
    expect(localTime(at, 'Asia/Kolkata')).toBe('05:00');
  });

  it('computes zone offsets across DST', () => {
    expect(zoneOffsetMinutes(new Date('2026-01-15T12:00:00Z'), 'Europe/Berlin')).toBe(60);
    expect(zoneOffsetMinutes(new Date('2026-07-15T12:00:00Z'), 'Europe/Berlin')).toBe(120);
    expect(zoneOffsetMinutes(new Date('2026-07-15T12:00:00Z'), 'America/New_York')).toBe(-240);
  });

  it('turns a local wall-clock time into the right instant', () => {
    expect(zonedInstant('2026-12-01', '09:30', 'Europe/Berlin').toISOString()).toBe('2026-12-01T08:30:00.000Z');
    expect(zonedInstant('2026-07-01', '09:30', 'America/New_York').toISOString()).toBe('2026-07-01T13:30:00.000Z');
    // The morning after Europe's spring-forward night.
    expect(zonedInstant('2026-03-29', '08:00', 'Europe/Berlin').toISOString()).toBe('2026-03-29T06:00:00.000Z');
  });

  it('adds days across month and year ends', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });
});
