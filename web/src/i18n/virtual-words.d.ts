// The modules web/words-plugin.ts builds from src/locales at build time.
declare module 'virtual:words' {
  /** Every namespace of every language. */
  export const namespaces: readonly string[];
  /** `<lang>/<part>` → its words as [namespace, words] pairs. */
  export const parts: Readonly<Record<string, () => Promise<{ default: ReadonlyArray<readonly [string, Record<string, unknown>]> }>>>;
}
