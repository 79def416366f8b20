// Strict parsing of feed timestamps (RSS RFC 822/1123, Atom/RDF ISO 8601).

const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;
const RFC822_DATE =
  /^(?:[A-Za-z]{3,9},?\s*)?(\d{1,2})[\s-]+([A-Za-z]{3})[A-Za-z]*\.?[\s-]+(\d{4}|\d{2})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(.*)$/;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
/** RFC 822 zones, plus a few common non-standard ones seen in real feeds. Offsets in minutes. */
const ZONES: Record<string, number> = {
  ut: 0,
  utc: 0,
  gmt: 0,
  z: 0,
  est: -300,
  edt: -240,
  cst: -360,
  cdt: -300,
  mst: -420,
  mdt: -360,
  pst: -480,
  pdt: -420,
  bst: 60,
  cet: 60,
  cest: 120,
  eet: 120,
  eest: 180,
  jst: 540,
  aest: 600,
  aedt: 660,
};

/**
 * An RSS (RFC 822/1123) or Atom/RDF (ISO 8601) timestamp as ISO 8601 UTC, or undefined when it is not a real
 * date. Stricter than `Date.parse`, which reads "garbage 2" as 2001-02-01 and rolls "31 Feb" into March.
 * A time without a zone is taken as UTC, so the result does not depend on the machine's time zone.
 */
export function parseFeedDate(raw: string | undefined): string | undefined {
  const text = raw?.trim();
  if (!text) return undefined;
  const iso = ISO_DATE.exec(text);
  if (iso) {
    const [, y, mo, d, h, mi, s, frac, zone] = iso;
    const ms = frac ? Math.round(Number(`0.${frac}`) * 1000) : 0;
    return build(
      Number(y),
      Number(mo),
      Number(d),
      Number(h ?? 0),
      Number(mi ?? 0),
      Number(s ?? 0),
      ms,
      zoneOffset(zone),
    );
  }
  const rfc = RFC822_DATE.exec(text);
  if (rfc) {
    const [, d, mon, y, h, mi, s, zone] = rfc;
    const month = MONTHS.indexOf((mon ?? '').toLowerCase()) + 1;
    if (month === 0) return undefined;
    let year = Number(y);
    if ((y ?? '').length === 2) year += year < 50 ? 2000 : 1900;
    return build(year, month, Number(d), Number(h), Number(mi), Number(s ?? 0), 0, zoneOffset(zone));
  }
  return undefined;
}

/** Minutes east of UTC, or undefined when the zone is unreadable (the date is then dropped, not guessed). */
function zoneOffset(zone: string | undefined): number | undefined {
  // A trailing comment such as "+0000 (UTC)" is common; only the first token counts.
  const token = (zone ?? '').trim().split(/\s+/)[0] ?? '';
  if (token === '') return 0;
  const numeric = /^([+-])(\d{2}):?(\d{2})?$/.exec(token);
  if (numeric) {
    const minutes = Number(numeric[2]) * 60 + Number(numeric[3] ?? 0);
    return numeric[1] === '-' ? -minutes : minutes;
  }
  const known = ZONES[token.toLowerCase()];
  if (known !== undefined) return known;
  // RFC 822 military letters and unlisted abbreviations: hours off at worst, which still orders a morning's news
  // better than having no date at all.
  return /^[A-Za-z]{1,5}$/.test(token) ? 0 : undefined;
}

function build(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  ms: number,
  offsetMinutes: number | undefined,
): string | undefined {
  if (offsetMinutes === undefined || Math.abs(offsetMinutes) > 18 * 60) return undefined;
  if (hour > 24 || minute > 59 || second > 60 || (hour === 24 && (minute > 0 || second > 0))) return undefined;
  const midnight = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls 31 Feb into March (and reads years below 100 as 19xx); a round trip catches both.
  if (midnight.getUTCFullYear() !== year || midnight.getUTCMonth() !== month - 1 || midnight.getUTCDate() !== day) {
    return undefined;
  }
  // A leap second is folded into the second before it; Date cannot represent it.
  const time = midnight.getTime() + ((hour * 60 + minute - offsetMinutes) * 60 + Math.min(second, 59)) * 1000 + ms;
  return Number.isFinite(time) ? new Date(time).toISOString() : undefined;
}
