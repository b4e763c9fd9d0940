export * from './types.ts';
export { compileCalendar } from './compile.ts';
