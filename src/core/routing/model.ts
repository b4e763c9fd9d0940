// Routing vocabulary shared by the pure choice, the use cases and the API schemas.
export const ASSIGNMENT_MODES = ['manual', 'round_robin', 'least_loaded', 'skills'] as const;
export type AssignmentMode = (typeof ASSIGNMENT_MODES)[number];

export const AVAILABILITIES = ['online', 'away', 'offline'] as const;
export type Availability = (typeof AVAILABILITIES)[number];

/** An agent as the choice sees it: what they can do, how full they are, whether they take work now. */
export type AgentCandidate = {
  id: string;
  skills: readonly string[];
  capacity: number;
  /** Per-channel limits on top of the total; a channel without an entry is limited by the total only. */
  channelCapacity: Readonly<Record<string, number>>;
  /** Open (unsolved) tickets assigned now, in total and per channel. */
  load: number;
  channelLoad: Readonly<Record<string, number>>;
  /** Online and inside working hours (the caller evaluates the calendar at `now`). */
  available: boolean;
  /** Epoch ms of the last automatic assignment, null if never: round-robin's rotation. */
  lastAssignedAt: number | null;
};

/** What the choice needs to know about a ticket. */
export type TicketDemand = { channel: string; neededSkills: readonly string[] };

/** snoozed_until of a ticket snoozed only until the customer replies: a date no snooze reaches by time. */
export const UNTIL_REPLY_MS = Date.UTC(9999, 11, 31);
