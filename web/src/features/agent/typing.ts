/** True while the person types (a field, a select, an editable area): single-key shortcuts then stay out of the way. */
export function isTyping(el: EventTarget | null): boolean {
  return el instanceof HTMLElement && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName) || !!el.closest('[role="dialog"], [role="listbox"], [role="menu"]'));
}
