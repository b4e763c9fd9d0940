import { defineConfig } from 'vitest/config';

// `npm run test:imap`: IMAP intake against a real dovecot (Debian's dovecot-imapd) on a random loopback port.
export default defineConfig({
  test: {
    include: ['test/imap/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
