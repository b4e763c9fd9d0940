import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));

// Libraries every screen runs (React, the router, the query cache, i18next, the API client): one chunk that
// stays cached across releases while the app's own chunks change. react-i18next's <Trans> (and the HTML parser it
// brings) is left out: only the customer pages use it, so it goes with their chunks.
const CORE = /[\\/]node_modules[\\/](react|react-dom|scheduler|react-router|@tanstack[\\/](react-query|query-core)|i18next|react-i18next(?![\\/]dist[\\/]es[\\/](Trans|TransWithoutContext|unescape)\.js)|openapi-fetch|use-sync-external-store)[\\/]/;
// Headless UI and what it brings (Floating UI, React Aria's focus helpers, the virtual list): only the screens
// with dialogs, menus and comboboxes (web/src/app/primitives.tsx) load it — not the sign-in or customer pages.
const WIDGETS = /[\\/]node_modules[\\/](@headlessui|@floating-ui|@react-aria|@tanstack[\\/](react-virtual|virtual-core)|@swc[\\/]helpers|tabbable)[\\/]/;
// A few chunks per language (i18n.ts loads the page's language only): the admin screens' words (admin, admin2:
// over a third of the text) and the triage words (the ticket's triage tab, admin) apart from the rest.
const LOCALE = /[\\/]web[\\/]src[\\/]locales[\\/]([a-z]{2})[\\/]([\w-]+)\.json$/;
// The same parts as PART_OF in web/src/i18n/i18n.ts.
const PART_OF: Readonly<Record<string, string>> = { admin: 'admin', admin2: 'admin', triage: 'triage', reports: 'reports', whatif: 'reports', operations: 'reports', cockpit: 'reports', importer: 'admin', customer: 'customer', integrations: 'admin', planning: 'reports', surgegroups: 'reports', privacy: 'admin', security: 'security', sideconv: 'ticket-extras' };
function localeChunk(id: string): string | null {
  const m = LOCALE.exec(id);
  if (!m?.[1] || !m[2]) return null;
  const part = PART_OF[m[2]];
  return part ? `locale-${m[1]}-${part}` : `locale-${m[1]}`;
}

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2022',
    // Every browser that runs es2022 knows <link rel="modulepreload">: no polyfill in the entry.
    modulePreload: { polyfill: false },
    rolldownOptions: {
      output: {
        // Screens are split by route (web/src/app/routes.tsx, app.tsx: React.lazy); these groups only name
        // the shared pieces so each is fetched once and cached on its own.
        codeSplitting: {
          groups: [
            { name: 'vendor', test: CORE, priority: 3 },
            { name: 'widgets', test: WIDGETS, priority: 2 },
            { name: localeChunk, debugName: 'locales', test: LOCALE, priority: 1 },
          ],
        },
      },
    },
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: 'http://localhost:3000', changeOrigin: false },
    },
  },
});
