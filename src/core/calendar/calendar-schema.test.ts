import { describe, expect, it } from 'vitest';
import { calendarInputSchema, calendarSpecSchema, compileCalendar } from './index.ts';

describe('calendarSpecSchema', () => {
  it('accepts the calendar of the simulator spec and compiles it', () => {
    const input = {
      timezone: 'Europe/Berlin',
      hours: {
        mon: [['09:00', '12:30'], ['13:30', '17:00']],
        tue: [['09:00', '17:00']],
        wed: [['09:00', '24:00']],
        thu: [['22:00', '06:00']],
        fri: [['09:00', '17:00']],
      },
      holidays: ['2025-12-25', { date: '2025-12-24', yearly: true }, { country: 'DE', region: 'BY' }, { ics: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n' }],
    };
    const parsed = calendarSpecSchema.parse(input);
    expect(compileCalendar(parsed).isOpen(Date.parse('2025-03-10T10:00:00+01:00'))).toBe(true);
  });

  it('reads a null day as closed and ignores descriptive keys', () => {
    const parsed = calendarSpecSchema.parse({ name: 'Berlin office', id: 7, timezone: 'Europe/Berlin', hours: { mon: [['09:00', '17:00']], tue: null } });
    const calendar = compileCalendar(parsed);
    expect(calendar.isOpen(Date.parse('2025-03-10T10:00:00+01:00'))).toBe(true); // Monday
    expect(calendar.isOpen(Date.parse('2025-03-11T10:00:00+01:00'))).toBe(false); // Tuesday: null
  });

  it('reads null holidays as none, and accepts a name on a country entry', () => {
    const none = calendarSpecSchema.parse({ timezone: 'Europe/Berlin', hours: { mon: [['09:00', '17:00']] }, holidays: null });
    expect(none.holidays).toBeUndefined();
    const named = calendarSpecSchema.parse({ timezone: 'Europe/Berlin', hours: { mon: [['09:00', '17:00']] }, holidays: [{ country: 'DE', region: 'BY', name: 'Bavaria' }] });
    expect(compileCalendar(named).isOpen(Date.parse('2025-01-06T10:00:00+01:00'))).toBe(false); // Epiphany, a Monday
  });

  it.each([
    { name: 'null is 24/7', input: null },
    { name: 'absent is 24/7', input: undefined },
  ])('$name', ({ input }) => {
    expect(calendarInputSchema.parse(input) ?? null).toBeNull();
  });

  type Bad = { name: string; input: unknown; path: (string | number)[] };
  const bad: Bad[] = [
    { name: 'missing timezone', input: { hours: {} }, path: ['timezone'] },
    { name: 'misspelt weekday', input: { timezone: 'UTC', hours: { Mon: [] } }, path: ['hours'] },
    { name: 'interval is not a pair', input: { timezone: 'UTC', hours: { mon: [['09:00']] } }, path: ['hours', 'mon', 0] },
    { name: 'time is not a string', input: { timezone: 'UTC', hours: { mon: [['09:00', 17]] } }, path: ['hours', 'mon', 0, 1] },
    { name: 'unknown top-level key', input: { timezone: 'UTC', hours: {}, holiday: [] }, path: [] },
    { name: 'holiday of unknown shape', input: { timezone: 'UTC', hours: {}, holidays: [{ day: '2025-01-01' }] }, path: ['holidays', 0] },
  ];
  it.each(bad)('rejects: $name', ({ input, path }) => {
    const result = calendarSpecSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(path);
  });
});
