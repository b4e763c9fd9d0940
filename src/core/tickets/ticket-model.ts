// Ticket vocabulary shared by validation, the state machine and the UI.
export const TICKET_STATUSES = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const TICKET_STAGES = ['received', 'triaged', 'assigned', 'diagnosis', 'resolution', 'quality_check', 'archived'] as const;
export type TicketStage = (typeof TICKET_STAGES)[number];

export const CHANNELS = ['email', 'web_form', 'widget', 'api', 'portal', 'phone', 'telegram', 'messenger'] as const;
export type Channel = (typeof CHANNELS)[number];
/** Channels whose customers are answered in their chat (app/channels), not by e-mail. */
export const isMessenger = (channel: string): boolean => channel === 'telegram' || channel === 'messenger' || channel === 'widget';

export const TIERS = ['standard', 'priority', 'enterprise', 'vip'] as const;
export const ROLES = ['agent', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const MESSAGE_KINDS = ['public', 'internal', 'automatic'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

export const UNSOLVED_STATUSES: readonly TicketStatus[] = ['new', 'open', 'pending', 'on_hold'];
