import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Facts about the request a use case runs for that only the audit log needs (the client's address). Carried
 * by AsyncLocalStorage from `http/define-route.ts`, so the admin use cases keep their signatures and stay
 * unaware of HTTP; a use case run from the CLI or a test has no request and records no address.
 */
export type RequestFacts = { address: string | null };

const storage = new AsyncLocalStorage<RequestFacts>();

export const withRequestFacts = <T>(facts: RequestFacts, run: () => T): T => storage.run(facts, run);
export const currentRequestFacts = (): RequestFacts | null => storage.getStore() ?? null;
