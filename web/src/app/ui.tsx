import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from 'react';
import { errorMessage, type ListEntry } from '../lib/api.ts';

export function ErrorBanner({ error, testId = 'error' }: { error: unknown; testId?: string }) {
  if (error === undefined || error === null) return null;
  return (
    <div className="banner banner-error" role="alert" data-testid={testId}>
      {errorMessage(error)}
    </div>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p className="muted loading" role="status">
      {label}
    </p>
  );
}

type FieldProps = {
  label: string;
  error?: string | undefined;
  hint?: string;
  children: (props: { id: string; 'aria-invalid': boolean; 'aria-describedby'?: string }) => ReactNode;
};

/** A labelled form field with an error line tied to the control via aria-describedby. */
export function Field({ label, error, hint, children }: FieldProps) {
  const id = useId();
  const errId = `${id}-err`;
  return (
    <div className={error ? 'field has-error' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': !!error, ...(error ? { 'aria-describedby': errId } : {}) })}
      {hint && !error ? <small className="muted">{hint}</small> : null}
      {error ? (
        <small className="field-error" id={errId} role="alert">
          {error}
        </small>
      ) : null}
    </div>
  );
}

type ControlProps<Attrs> = Omit<Attrs, 'id' | 'value' | 'onChange'> & {
  label: string;
  error?: string | undefined;
  hint?: string;
  value: string;
  onChange: (value: string) => void;
};

/** A labelled text `<input>` (any other attribute is passed on to it) in a Field. */
export function TextField({ label, error, hint, value, onChange, ...input }: ControlProps<InputHTMLAttributes<HTMLInputElement>>) {
  return (
    <Field label={label} error={error} hint={hint}>
      {(p) => <input {...input} {...p} value={value} onChange={(e) => onChange(e.target.value)} />}
    </Field>
  );
}

/** A labelled `<select>` (its options are the children; any other attribute is passed on to it) in a Field. */
export function SelectField({ label, error, hint, value, onChange, children, ...select }: ControlProps<SelectHTMLAttributes<HTMLSelectElement>>) {
  return (
    <Field label={label} error={error} hint={hint}>
      {(p) => (
        <select {...select} {...p} value={value} onChange={(e) => onChange(e.target.value)}>
          {children}
        </select>
      )}
    </Field>
  );
}

/** One `<option>` per entry of an editable list (statuses, priorities, types, tiers). */
export function Options({ entries }: { entries: readonly ListEntry[] }) {
  return (
    <>
      {entries.map((e) => (
        <option key={e.key} value={e.key}>
          {e.label}
        </option>
      ))}
    </>
  );
}

export function Badge({ tone = 'neutral', children, testId }: { tone?: string; children: ReactNode; testId?: string }) {
  return (
    <span className={`badge badge-${tone}`} data-testid={testId}>
      {children}
    </span>
  );
}

export function priorityTone(p: string): string {
  return p === 'urgent' ? 'red' : p === 'high' ? 'amber' : p === 'low' ? 'muted' : 'neutral';
}

export function statusTone(s: string): string {
  switch (s) {
    case 'new':
      return 'blue';
    case 'open':
      return 'green';
    case 'pending':
      return 'amber';
    case 'on_hold':
      return 'purple';
    default:
      return 'muted';
  }
}
