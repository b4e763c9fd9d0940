export { URGENCIES, isUrgency, suggestUrgency, type Urgency } from './urgency.ts';
export { computePromise, predictReply, promiseKept, type PromiseInput, type QueueLoad, type TicketPromise } from './compute-promise.ts';
export { archiveCutoff, newEstimate, promiseAboutToPass, silenceCutoff } from './lifecycle.ts';
