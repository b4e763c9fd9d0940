// Macro placeholders: {{ticket.number}}, {{requester.name}}, {{agent.name}}, {{promise.local}}, {{sla.first_response.due_local}} …
// {{promise.*}} is what the customer was promised (the stored promise, in their language and zone);
// {{sla.*}} are the team's internal due times, which may differ from it.
// An unknown placeholder is left as written, so a typo is visible to the agent rather than silently blank.

export const MACRO_PLACEHOLDERS = [
  'ticket.number', 'ticket.subject', 'ticket.status', 'ticket.priority', 'ticket.type',
  'requester.name', 'requester.email', 'organization.name', 'agent.name', 'agent.email',
  'promise.local', 'promise.date', 'promise.time', 'promise.within', 'promise.reason',
  'sla.first_response.due_local', 'sla.next_reply.due_local', 'sla.resolution.due_local',
] as const;
export type MacroValues = Partial<Record<(typeof MACRO_PLACEHOLDERS)[number], string | null>>;

export function renderMacro(body: string, values: MacroValues): string {
  return body.replace(/\{\{\s*([a-z_]+(?:\.[a-z_]+)*)\s*\}\}/g, (whole, name: string) => {
    if (!(MACRO_PLACEHOLDERS as readonly string[]).includes(name)) return whole;
    const v = values[name as keyof MacroValues];
    return v ?? '';
  });
}
