const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const MONTH = 30 * DAY;
const YEAR = 12 * MONTH;
const LONG_TIME = 37 * YEAR;

/** Upper bound (exclusive), format and divisor of each step; `%d` is the quotient, `%s` the label. */
const MAGNITUDES: readonly (readonly [number, string, number])[] = [
  [SECOND, "now", SECOND],
  [2 * SECOND, "1 second %s", 1],
  [MINUTE, "%d seconds %s", SECOND],
  [2 * MINUTE, "1 minute %s", 1],
  [HOUR, "%d minutes %s", MINUTE],
  [2 * HOUR, "1 hour %s", 1],
  [DAY, "%d hours %s", HOUR],
  [2 * DAY, "1 day %s", 1],
  [WEEK, "%d days %s", DAY],
  [2 * WEEK, "1 week %s", 1],
  [MONTH, "%d weeks %s", WEEK],
  [2 * MONTH, "1 month %s", 1],
  [YEAR, "%d months %s", MONTH],
  [18 * MONTH, "1 year %s", 1],
  [2 * YEAR, "2 years %s", 1],
  [LONG_TIME, "%d years %s", YEAR],
  [Number.POSITIVE_INFINITY, "a long while %s", 1],
];

/**
 * A coarse relative time such as `11 months from now` or `3 days ago`, with the steps of the go-humanize
 * library talosctl uses (`RelTime(then, now, "ago", "from now")`): a month is 30 days, a year 360.
 */
export function relTime(then: Date, now: Date, pastLabel = "ago", futureLabel = "from now"): string {
  let diff = now.getTime() - then.getTime();
  let label = pastLabel;
  if (diff < 0) {
    diff = -diff;
    label = futureLabel;
  }
  const step = MAGNITUDES.find(([bound]) => bound > diff) ?? MAGNITUDES[MAGNITUDES.length - 1]!;
  const [, format, divisor] = step;
  return format.replace("%d", String(Math.trunc(diff / divisor))).replace("%s", label);
}
