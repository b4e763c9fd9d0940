import { defineConfig } from 'vitest/config';

// `npm test`: every suite on embedded PGlite, no server needed.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // test/pg/: races between concurrent connections, which PGlite (one transaction at a time) cannot have.
    exclude: ['test/pg/**', 'test/imap/**', '**/node_modules/**'],
    // A hang guard, not a speed check: CI machines share two cores with other work.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // One migrated PGlite snapshot that every test file's database starts from (test/helpers/pglite-template.ts).
    globalSetup: ['test/helpers/pglite-template.ts'],
  },
});
