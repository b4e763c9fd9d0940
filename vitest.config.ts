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
    // One module graph per worker, not per file: importing the server stack (and compiling PGlite's WebAssembly) once
    // per worker instead of once per test file halved the suite's wall time on two cores. Test files share no state
    // through modules: each opens its own database and app (test/helpers).
    isolate: false,
    // One migrated PGlite snapshot that every test file's database starts from (test/helpers/pglite-template.ts).
    globalSetup: ['test/helpers/pglite-template.ts'],
  },
});
