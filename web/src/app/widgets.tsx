import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import {
  Combobox,
  ComboboxInput,
  ComboboxOption,
  ComboboxOptions,
  Dialog,
  DialogBackdrop,
  DialogPanel,
  DialogTitle,
  Field,
  Label,
  Menu,
  MenuButton,
  MenuItem,
  MenuItems,
} from '@headlessui/react';
import type { PickerHandoff, PickerProps } from './primitives.tsx';

// Dialogs, menus and comboboxes come from Headless UI (unstyled, WAI-ARIA patterns, focus trapping, Escape,
// outside clicks, roving focus in menus and listboxes): the parts that are easy to get almost right by hand.
// These wrappers only add the app's classes, strings and test ids. This module and Headless UI are one chunk
// (`widgets`, ≈55 KB gzipped) that no first screen waits for: screens import the light wrappers of
// primitives.tsx, which fetch it when a dialog first opens, or a picker or the page is first used.

/**
 * A modal confirmation: focus moves to Cancel (the safe choice) and is trapped, then returned; Escape and a click
 * outside cancel; announced as a dialog named by its title. Destructive actions ask before they happen.
 */
export function ConfirmDialog({ open, title, children, confirmLabel, onConfirm, onCancel }: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Dialog open={open} onClose={onCancel} className="dialog" data-testid="confirm-dialog">
      <DialogBackdrop className="dialog-backdrop" />
      <div className="dialog-frame">
        <DialogPanel className="card narrow-card dialog-panel">
          <DialogTitle as="h2">{title}</DialogTitle>
          <div>{children}</div>
          <div className="actions">
            <button type="button" className="button" onClick={onCancel} data-autofocus>
              {t('dialog.cancel')}
            </button>
            <button type="button" className="button danger" onClick={onConfirm} data-testid="confirm-yes">
              {confirmLabel}
            </button>
          </div>
        </DialogPanel>
      </div>
    </Dialog>
  );
}

/** A modal that only informs (keyboard shortcuts): one Close button, focus returned on close, Escape closes. */
export function InfoDialog({ open, title, children, onClose, testId }: { open: boolean; title: string; children: ReactNode; onClose: () => void; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Dialog open={open} onClose={onClose} className="dialog" data-testid={testId}>
      <DialogBackdrop className="dialog-backdrop" />
      <div className="dialog-frame">
        <DialogPanel className="card narrow-card dialog-panel">
          <DialogTitle as="h2">{title}</DialogTitle>
          <div>{children}</div>
          <div className="actions">
            <button type="button" className="button" onClick={onClose} data-autofocus>{t('display:close')}</button>
          </div>
        </DialogPanel>
      </div>
    </Dialog>
  );
}

export type MenuAction = { key: string; label: string; onSelect: () => void; testId?: string };

/** A button that opens a menu of actions (arrow keys, Home/End, type-ahead, Escape returns focus to the button). */
export function ActionMenu({ label, actions, testId, disabled }: { label: string; actions: readonly MenuAction[]; testId?: string; disabled?: boolean }) {
  return (
    <Menu>
      <MenuButton className="button menu-button" data-testid={testId} disabled={disabled}>
        {label} <span aria-hidden="true">▾</span>
      </MenuButton>
      <MenuItems anchor="bottom start" className="menu" modal={false}>
        {actions.map((a) => (
          <MenuItem key={a.key}>
            <button type="button" className="menu-item" onClick={a.onSelect} data-testid={a.testId}>
              {a.label}
            </button>
          </MenuItem>
        ))}
      </MenuItems>
    </Menu>
  );
}

/**
 * A labelled combobox: type to filter (the caller filters, so it may search the server), arrows to move, Enter to
 * pick, Escape to close; the input shows the picked option's label when it loses focus. `handoff` carries what the
 * stand-in (primitives.tsx) had when this replaced it: focus, and any text typed meanwhile.
 */
export function Picker<V>({ label, value, options, onChange, onQuery, display, disabled, testId, optionsClassName, empty, anchored = true, handoff }: PickerProps<V> & { handoff?: PickerHandoff }) {
  const input = useRef<HTMLInputElement>(null);
  // After the input's own effects (they write the shown label into it on mount), so the focus's select() and the
  // typed text are not overwritten.
  useEffect(() => {
    const el = input.current;
    if (!handoff?.focused || !el) return;
    handoff.focused = false;
    el.focus();
    const typed = handoff.text;
    handoff.text = null;
    if (typed === null) return el.select();
    // What was typed into the stand-in goes on as typing here (React sees an input event), so the list opens
    // filtered by it and the caret stays where it was.
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set?.call(el, typed);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, []); // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <Field className="field" disabled={disabled}>
      <Label>{label}</Label>
      <Combobox value={value} onChange={(v: V | null) => { if (v !== null) onChange(v); }} onClose={() => onQuery('')} immediate>
        {/* Focus selects the shown label, so typing replaces it with a search. */}
        <ComboboxInput ref={input} className="combo-input" data-testid={testId} autoComplete="off" displayValue={(v: V) => display(v)}
          onFocus={(e) => e.currentTarget.select()} onChange={(e) => onQuery(e.target.value)} />
        <ComboboxOptions {...(anchored ? { anchor: 'bottom start' as const } : {})} className={`menu combo-options ${optionsClassName ?? ''}`}>
          {options.length === 0 && empty ? <div className="menu-empty muted small">{empty}</div> : null}
          {options.map((o, i) => (
            <ComboboxOption key={i} value={o.value} className="menu-item" data-testid={o.testId}>
              <span className="data">{o.label}</span>
              {o.detail ? <span className="muted small"> {o.detail}</span> : null}
            </ComboboxOption>
          ))}
        </ComboboxOptions>
      </Combobox>
    </Field>
  );
}
