import { z } from 'zod';

const isTimeZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

export const timeZoneSchema = z.string().min(1).max(64).refine(isTimeZone, 'is not an IANA time zone');
export const languageSchema = z.string().regex(/^[a-z]{2}(-[A-Za-z]{2,4})?$/, 'must be a language tag like "en" or "zh-CN"');
