import { defineConfig } from 'vitest/config';

// `npm run test:pg`: the database-backed suites against a PostgreSQL server (TEST_DATABASE_URL),
// each test file in its own schema.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/imap/**', '**/node_modules/**'],
    // A hang guard, not a speed check: CI machines share two cores with other work.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // One module graph per worker, not per file: importing the server stack (and compiling PGlite's WebAssembly) once
    // per worker instead of once per test file halved the suite's wall time on two cores. Test files share no state
    // through modules: each opens its own database and app (test/helpers).
    isolate: false,
    env: { TEST_DATABASE_URL: process.env.TEST_DATABASE_URL ?? 'postgres://127.0.0.1:5432/test' },
  },
});
