import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_TYPES_FILE, generateApiTypes } from '../scripts/api-types.ts';

describe('web API client types', () => {
  it('match the server OpenAPI document (run `npm run api:types` after changing a route)', async () => {
    const committed = readFileSync(API_TYPES_FILE, 'utf8');
    expect(committed).toBe(await generateApiTypes());
  }, 120_000);
});
