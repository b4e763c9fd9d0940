import { DateTime } from 'luxon';

/** The retention rule (docs/security.md "Personal data"): closed tickets are anonymised N months after closing. */
export type RetentionRule = {
  enabled: boolean;
  /** Months after closing for every type without its own rule (null: no global rule). */
  months: number | null;
  /** A ticket type's own period, in months (it wins over `months`). */
  per_type: Record<string, number>;
};

export type RetentionCutoffs = {
  /** Tickets of these types closed before their instant are due. */
  perType: { type: string; before: Date }[];
  /** Tickets of every other type closed before this instant are due (null: none are). */
  otherwise: Date | null;
};

/** Calendar months back from `now` in UTC (31 March minus one month is 28/29 February, Luxon's rule). */
export function retentionCutoffs(now: Date, rule: RetentionRule): RetentionCutoffs {
  const back = (months: number) => DateTime.fromJSDate(now, { zone: 'utc' }).minus({ months }).toJSDate();
  if (!rule.enabled) return { perType: [], otherwise: null };
  return {
    perType: Object.entries(rule.per_type).sort(([a], [b]) => a.localeCompare(b)).map(([type, months]) => ({ type, before: back(months) })),
    otherwise: rule.months === null ? null : back(rule.months),
  };
}
