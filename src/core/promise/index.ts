export { URGENCIES, URGENCY_APPLY_CONFIDENCE, detectUrgency, isUrgency, suggestUrgency, urgencyAtIntake, type Urgency, type UrgencyDetection } from './urgency.ts';
export {
  computePromise, mayApplyAutomatically, predictReply, promiseKept,
  type Commitment, type PromiseInput, type QueueLoad, type TicketPromise,
} from './compute-promise.ts';
export { archiveCutoff, newEstimate, promiseAboutToPass, silenceCutoff } from './lifecycle.ts';
