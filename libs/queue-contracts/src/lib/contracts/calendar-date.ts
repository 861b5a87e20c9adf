import { dateSchema } from './common';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A calendar day, as a `Date` at 00:00 UTC of that day. Accepts what {@link dateSchema} accepts
 * (a `Date`, `2024-01-31`, an ISO date-time, epoch ms) as long as it falls on a UTC midnight:
 * `new Date('2024-01-31')` and `'2024-01-31'` are 31 January. Anything else is refused rather
 * than cut to a day, because which day is meant depends on a time zone the job does not carry
 * (`new Date(2024, 0, 31)` in Berlin is 30 January 23:00 UTC).
 */
export const calendarDateSchema = dateSchema.refine((date) => date.getTime() % DAY_MS === 0, {
  message: "must be a calendar date: 'YYYY-MM-DD' or a Date at 00:00 UTC",
});

