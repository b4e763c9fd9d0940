import { describe, expect, it } from 'vitest';
import { ApiError, lastSegment } from '../web/src/lib/api.ts';

// The web client turns the API's error paths into form field names: every field's error lands beside its field.
describe('web client: error paths → form fields', () => {
  it('names the last segment, skipping indexes and a request-body prefix', () => {
    expect(lastSegment('metrics[0].target_minutes')).toBe('target_minutes');
    expect(lastSegment('spec.hours.mon[1]')).toBe('mon');
    expect(lastSegment('body.subject')).toBe('subject');
  });

  it('keeps a field that is itself called body (a macro or message text)', () => {
    expect(lastSegment('body')).toBe('body');
    expect(lastSegment('translations[0].body')).toBe('body');
  });

  it('gives every field its own message at once', () => {
    const err = new ApiError(400, 'invalid_input', 'invalid', 'body', [
      { path: 'body', message: 'is required' },
      { path: 'title', message: 'must be at most 200 characters' },
    ]);
    expect(err.fieldErrors()).toEqual({ body: 'This field is required.', title: 'Must be at most 200 characters' });
    expect(err.field).toBe('body');
  });
});
