// A ticket is described by its language, its type and its tags; a group lists the skill keys it routes
// on. The skills a ticket needs are the group's keys that describe it: a group that lists 'lang:ru' and
// 'lang:en' routes on language, one that lists nothing needs no skill at all.

export function ticketDescriptors(t: { language: string; type: string; tags: readonly string[] }): string[] {
  return [`lang:${t.language}`, `type:${t.type}`, ...t.tags];
}

export function neededSkills(groupSkills: readonly string[], descriptors: readonly string[]): string[] {
  const routed = new Set(groupSkills);
  return [...new Set(descriptors.filter((d) => routed.has(d)))].sort();
}

export function hasSkills(agentSkills: readonly string[], needed: readonly string[]): boolean {
  const own = new Set(agentSkills);
  return needed.every((s) => own.has(s));
}

/** Skill keys: lower-case, no spaces, at most one ':' namespace (lang:ru, type:complaint, product:api). */
export const SKILL_PATTERN = /^[a-z0-9_-]{1,40}(:[a-z0-9_-]{1,40})?$/;
