import { useEffect, useId, useRef, useState, useSyncExternalStore, type KeyboardEvent, type ReactNode } from 'react';
import type * as Widgets from './widgets.tsx';
import { useOnFirstUse } from './first-use.ts';

// The app's accessible primitives. Dialogs, menus and comboboxes are Headless UI (widgets.tsx), which with its
// dependencies is a 55 KB gzipped chunk that no first screen waits for: the wrappers here render nothing (a closed
// dialog) or a stand-in with the same label, value and look (a picker) until it is in, and fetch it when the page is
// first used (a key, a pointer move or touch anywhere), when a picker is hovered or focused, or when a dialog opens.
// Tabs and disclosures are small enough to be written here (the WAI-ARIA patterns, as Headless UI renders them).

type WidgetsModule = typeof Widgets;

let widgets: WidgetsModule | null = null;
let failure: unknown = null;
let loading: Promise<WidgetsModule> | null = null;
const listeners = new Set<() => void>();

/** Fetches the Headless UI chunk once (a failed fetch is retried by the next call). */
export function preloadWidgets(): Promise<WidgetsModule> {
  loading ??= import('./widgets.tsx').then(
    (m) => {
      widgets = m;
      failure = null;
      for (const l of listeners) l();
      return m;
    },
    (err: unknown) => {
      loading = null;
      failure = err;
      for (const l of listeners) l();
      throw err;
    },
  );
  return loading;
}

const warm = () => void preloadWidgets().catch(() => undefined);
const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};

/**
 * The widgets module once it is in (null before). `needed`: a dialog is open now, so fetch it at once, and let a
 * failed fetch reach the page's error boundary (PageBoundary: "reload") rather than leave the click unanswered.
 * Otherwise the first use of the page fetches it, so it is in before anyone reaches a picker or a button that
 * opens a dialog.
 */
function useWidgets(needed: boolean): WidgetsModule | null {
  const mod = useSyncExternalStore(subscribe, () => widgets);
  const failed = useSyncExternalStore(subscribe, () => failure);
  useEffect(() => {
    if (needed && !widgets) warm();
  }, [needed]);
  useOnFirstUse(warm, !mod);
  if (!mod && needed && failed) throw failed;
  return mod;
}

type ConfirmDialogProps = {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
};

/**
 * A modal confirmation: focus moves to Cancel (the safe choice) and is trapped, then returned; Escape and a click
 * outside cancel; announced as a dialog named by its title. Destructive actions ask before they happen.
 */
export function ConfirmDialog(props: ConfirmDialogProps) {
  const w = useWidgets(props.open);
  return w ? <w.ConfirmDialog {...props} /> : null;
}

/** A modal that only informs (keyboard shortcuts): one Close button, focus returned on close, Escape closes. */
export function InfoDialog(props: { open: boolean; title: string; children: ReactNode; onClose: () => void; testId?: string }) {
  const w = useWidgets(props.open);
  return w ? <w.InfoDialog {...props} /> : null;
}

export type PickerOption<V> = { value: V; label: string; detail?: string; testId?: string };

export type PickerProps<V> = {
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
};

/** What the stand-in hands the real combobox when it takes over: whether it had focus, what was typed into it. */
export type PickerHandoff = { focused: boolean; text: string | null };

/**
 * A labelled combobox: type to filter (the caller filters, so it may search the server), arrows to move, Enter to
 * pick, Escape to close; the input shows the picked option's label when it loses focus.
 */
export function Picker<V>(props: PickerProps<V>) {
  const handoff = useRef<PickerHandoff>({ focused: false, text: null });
  const w = useWidgets(false);
  return w ? <w.Picker {...props} handoff={handoff.current} /> : <PickerStandIn {...props} handoff={handoff.current} />;
}

/**
 * The picker as it looks closed, until Headless UI is in: the same label, input, value and test id. Hovering,
 * touching or focusing it fetches the real one, which takes over with the focus and anything typed meanwhile.
 */
function PickerStandIn<V>({ label, value, display, onQuery, disabled, testId, handoff }: PickerProps<V> & { handoff: PickerHandoff }) {
  const id = useId();
  const [typed, setTyped] = useState<string | null>(null);
  return (
    <div className="field" {...(disabled ? { 'data-disabled': '' } : {})}>
      <label htmlFor={id}>{label}</label>
      <input id={id} className="combo-input" data-testid={testId} autoComplete="off" role="combobox" aria-expanded="false"
        aria-autocomplete="list" disabled={disabled} {...(disabled ? { 'data-disabled': '' } : {})}
        value={typed ?? display(value)}
        onPointerEnter={warm} onPointerDown={warm}
        onFocus={(e) => {
          handoff.focused = true;
          e.currentTarget.select();
          warm();
        }}
        onBlur={() => {
          handoff.focused = false;
          // As the real one does on closing: the shown label comes back and the search is dropped.
          if (typed === null) return;
          handoff.text = null;
          setTyped(null);
          onQuery('');
        }}
        onChange={(e) => {
          handoff.text = e.target.value;
          setTyped(e.target.value);
          onQuery(e.target.value);
        }} />
    </div>
  );
}

export type TabSpec = { key: string; label: string; panel: ReactNode };

/**
 * Tabs (WAI-ARIA tabs with automatic activation, as Headless UI renders them): arrow keys move between tabs and
 * wrap, Home/End jump, one Tab stop, panels labelled by their tab; only the chosen panel is rendered. `selected`/
 * `onSelect` make the choice controlled, so a screen can remember it. Test ids: `<testId>-<key>` on each tab.
 */
export function Tabs({ tabs, selected, onSelect, label, testId }: { tabs: readonly TabSpec[]; selected: string; onSelect: (key: string) => void; label: string; testId: string }) {
  const id = useId();
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const index = Math.max(0, tabs.findIndex((x) => x.key === selected));
  function choose(i: number) {
    const n = tabs.length;
    const next = ((i % n) + n) % n;
    const tab = tabs[next];
    if (!tab) return;
    onSelect(tab.key);
    refs.current[next]?.focus();
  }
  function onKeyDown(e: KeyboardEvent<HTMLButtonElement>, i: number) {
    const to = e.key === 'ArrowRight' ? i + 1 : e.key === 'ArrowLeft' ? i - 1 : e.key === 'Home' || e.key === 'PageUp' ? 0 : e.key === 'End' || e.key === 'PageDown' ? tabs.length - 1 : null;
    if (to === null) return;
    e.preventDefault();
    choose(to);
  }
  return (
    <div className="tab-group" data-testid={testId}>
      <div className="tab-list" role="tablist" aria-orientation="horizontal" aria-label={label}>
        {tabs.map((x, i) => (
          <button key={x.key} ref={(el) => { refs.current[i] = el; }} type="button" role="tab" id={`${id}-tab-${i}`} aria-controls={`${id}-panel-${i}`}
            aria-selected={i === index} tabIndex={i === index ? 0 : -1} className="tab" {...(i === index ? { 'data-selected': '' } : {})}
            data-testid={`${testId}-${x.key}`} onClick={() => choose(i)} onKeyDown={(e) => onKeyDown(e, i)}>
            {x.label}
          </button>
        ))}
      </div>
      {tabs.map((x, i) =>
        i === index ? (
          <div key={x.key} role="tabpanel" id={`${id}-panel-${i}`} aria-labelledby={`${id}-tab-${i}`} tabIndex={0} className="tab-panel">
            {x.panel}
          </div>
        ) : (
          <div key={x.key} role="tabpanel" id={`${id}-panel-${i}`} aria-labelledby={`${id}-tab-${i}`} hidden />
        ),
      )}
    </div>
  );
}

/**
 * A disclosure: a button that says whether its panel is shown (aria-expanded, aria-controls while open) and shows
 * or hides it; Enter and Space work because it is a button. `button` gets `open` to word it.
 */
export function Disclosure({ button, children, className, buttonClassName, buttonTestId, panelAs: Panel = 'div', panelClassName, panelTestId }: {
  button: (open: boolean) => ReactNode;
  children: ReactNode;
  className?: string;
  buttonClassName?: string;
  buttonTestId?: string;
  panelAs?: 'div' | 'blockquote';
  panelClassName?: string;
  panelTestId?: string;
}) {
  const id = useId();
  const [open, setOpen] = useState(false);
  return (
    <div className={className}>
      <button type="button" className={buttonClassName} aria-expanded={open} {...(open ? { 'aria-controls': id } : {})} data-testid={buttonTestId}
        onClick={() => setOpen((o) => !o)}>
        {button(open)}
      </button>
      {open ? <Panel id={id} className={panelClassName} data-testid={panelTestId}>{children}</Panel> : null}
    </div>
  );
}

export type { MenuAction } from './widgets.tsx';
