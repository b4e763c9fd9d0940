import type { ReactNode } from 'react';
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
  Tab,
  TabGroup,
  TabList,
  TabPanel,
  TabPanels,
} from '@headlessui/react';

// Dialogs, menus and comboboxes come from Headless UI (unstyled, WAI-ARIA patterns, focus trapping, Escape,
// outside clicks, roving focus in menus and listboxes): the parts that are easy to get almost right by hand.
// These wrappers only add the app's classes, strings and test ids.

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

export type TabSpec = { key: string; label: string; panel: ReactNode };

/**
 * Tabs (arrow keys between tabs, one Tab stop, panels labelled by their tab). `selected`/`onSelect` make the choice
 * controlled, so a screen can remember it. Test ids: `<testId>-<key>` on each tab.
 */
export function Tabs({ tabs, selected, onSelect, label, testId }: { tabs: readonly TabSpec[]; selected: string; onSelect: (key: string) => void; label: string; testId: string }) {
  const index = Math.max(0, tabs.findIndex((x) => x.key === selected));
  return (
    <TabGroup selectedIndex={index} onChange={(i) => onSelect(tabs[i]?.key ?? tabs[0]?.key ?? '')} className="tab-group" data-testid={testId}>
      <TabList className="tab-list" aria-label={label}>
        {tabs.map((x) => <Tab key={x.key} className="tab" data-testid={`${testId}-${x.key}`}>{x.label}</Tab>)}
      </TabList>
      <TabPanels>
        {tabs.map((x) => <TabPanel key={x.key} className="tab-panel">{x.panel}</TabPanel>)}
      </TabPanels>
    </TabGroup>
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

export type PickerOption<V> = { value: V; label: string; detail?: string; testId?: string };

/**
 * A labelled combobox: type to filter (the caller filters, so it may search the server), arrows to move, Enter to
 * pick, Escape to close; the input shows the picked option's label when it loses focus.
 */
export function Picker<V>({ label, value, options, onChange, onQuery, display, disabled, testId, optionsClassName, empty, anchored = true }: {
  label: string;
  value: V;
  options: readonly PickerOption<V>[];
  onChange: (v: V) => void;
  onQuery: (q: string) => void;
  display: (v: V) => string;
  disabled?: boolean;
  testId?: string;
  optionsClassName?: string;
  /** Shown inside the list when the query matches nothing. */
  empty?: string;
  /** Float the list over the page (form fields) or keep it in the flow (a panel's own results list). */
  anchored?: boolean;
}) {
  return (
    <Field className="field" disabled={disabled}>
      <Label>{label}</Label>
      <Combobox value={value} onChange={(v: V | null) => { if (v !== null) onChange(v); }} onClose={() => onQuery('')} immediate>
        {/* Focus selects the shown label, so typing replaces it with a search. */}
        <ComboboxInput className="combo-input" data-testid={testId} autoComplete="off" displayValue={(v: V) => display(v)}
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
