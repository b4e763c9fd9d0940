// Which chunk each word file goes in, shared by the app (src/i18n/i18n.ts fetches a part when a screen needs it)
// and the build (vite.config.ts puts each part of each language in its own chunk), so the two cannot disagree.
//
// `main` is every file not named here: the words of the shell, the queue and the ticket page.
// - `queue`: the queue's bulk actions and the board (the ticket page shows neither);
// - `security`: the sign-in page's second step and the profile's two-factor panel;
// - `ticket-extras`: the ticket page's side-conversation panel and its tools tab (snooze, time, links, merge);
// - the admin screens' words in three parts, so that /admin (Users) fetches only what it shows: `admin` (the
//   navigation, people, the password pages, what sections share), `admin-sections` (SLA, routing, triggers,
//   macros, knowledge base) and `admin-extra` (API tokens, webhooks, the chat widget, import, retention, a
//   contact's export and erasure);
// - `triage`, `reports`, `customer`: the ticket's triage tab, the supervisor's screens, the customer's pages.

export type WordsPart = 'main' | 'queue' | 'admin' | 'admin-sections' | 'admin-extra' | 'triage' | 'reports' | 'customer' | 'security' | 'ticket-extras';

/**
 * Word files outside `main`, by file name (without `.json`). A namespace may be split over files:
 * `<ns>.<piece>.json` adds its keys to namespace `<ns>` when its part is fetched (test/web-i18n.test.ts checks
 * the pieces share no key), so a screen keeps one namespace while its words arrive with the screens that use them.
 */
export const PART_OF: Readonly<Record<string, WordsPart>> = {
  admin: 'admin',
  'admin.sections': 'admin-sections',
  admin2: 'admin',
  importer: 'admin-extra',
  integrations: 'admin-extra',
  privacy: 'admin-extra',
  widgetadmin: 'admin-extra',
  triage: 'triage',
  reports: 'reports',
  whatif: 'reports',
  operations: 'reports',
  cockpit: 'reports',
  planning: 'reports',
  surgegroups: 'reports',
  customer: 'customer',
  security: 'security',
  sideconv: 'ticket-extras',
  'workspace.queue': 'queue',
  'workspace.tools': 'ticket-extras',
};

/** A word file's path → its language, namespace and part; null for another path. */
export function wordFile(path: string): { lang: string; file: string; ns: string; part: WordsPart } | null {
  const m = /locales[\\/]([a-z]{2})[\\/](([\w-]+)(?:\.[\w-]+)?)\.json$/.exec(path);
  return m?.[1] && m[2] && m[3] ? { lang: m[1], file: m[2], ns: m[3], part: PART_OF[m[2]] ?? 'main' } : null;
}
