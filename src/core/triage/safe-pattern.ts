import { RE2JS } from 're2js';

// Admin-written regular expressions run against every incoming message, so they must not be able to
// stall the server: they are compiled with RE2JS (a port of RE2: linear-time matching, no backtracking,
// so "(a+)+b" cannot blow up), capped in length, and matched against a capped slice of the text.

export const MAX_PATTERN_LENGTH = 200;
export const MAX_MATCHED_TEXT = 20_000;

/** Why a pattern is refused, or null when it is usable. */
export function checkPattern(pattern: string): string | null {
  if (pattern.length > MAX_PATTERN_LENGTH) return `must be at most ${MAX_PATTERN_LENGTH} characters`;
  try {
    RE2JS.compile(pattern, RE2JS.CASE_INSENSITIVE);
    return null;
  } catch (err) {
    return `is not a supported regular expression (RE2 syntax: no look-around or back-references): ${err instanceof Error ? err.message : String(err)}`;
  }
}

const cache = new Map<string, RE2JS>();
export function patternMatches(pattern: string, text: string): boolean {
  let re = cache.get(pattern);
  if (!re) {
    re = RE2JS.compile(pattern, RE2JS.CASE_INSENSITIVE);
    if (cache.size > 500) cache.clear();
    cache.set(pattern, re);
  }
  return re.matcher(text.slice(0, MAX_MATCHED_TEXT)).find();
}
