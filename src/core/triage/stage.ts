import type { TicketStage } from '../tickets/ticket-model.ts';

// The domain's lifecycle: received → triaged → assigned → diagnosis → resolution → quality_check → archived
// (closed). Stages follow the work; they never move backwards on their own, except that a customer
// reopening a solved ticket puts it back into diagnosis.

export type StageCause =
  | { kind: 'triaged' }
  | { kind: 'assigned' }
  | { kind: 'agent_replied' }
  | { kind: 'status'; status: string }
  | { kind: 'feedback' };

const ORDER: readonly TicketStage[] = ['received', 'triaged', 'assigned', 'diagnosis', 'resolution', 'quality_check', 'archived'];
const rank = (s: string) => ORDER.indexOf(s as TicketStage);

/** The stage after something happened, or the same stage when it does not move the ticket. */
export function nextStage(current: string, cause: StageCause): string {
  const forwardTo = (target: TicketStage) => (rank(current) < rank(target) ? target : current);
  switch (cause.kind) {
    case 'triaged':
      return forwardTo('triaged');
    case 'assigned':
      return forwardTo('assigned');
    case 'agent_replied':
      return forwardTo('diagnosis');
    case 'feedback':
      return forwardTo('quality_check');
    case 'status':
      if (cause.status === 'solved') return forwardTo('resolution');
      if (cause.status === 'closed') return 'archived';
      // Reopened after a solution: the diagnosis was not right after all.
      if (rank(current) >= rank('resolution') && current !== 'archived') return 'diagnosis';
      return current;
  }
}
