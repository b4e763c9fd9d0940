import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Principal } from '../lib/api.ts';
import { useSession } from '../lib/session.tsx';
import { ErrorBanner, TextField } from './ui.tsx';
import { useSubmit, type Submit } from './use-submit.ts';

export type SignInState = Submit & {
  email: string;
  setEmail: (email: string) => void;
  password: string;
  setPassword: (password: string) => void;
  submit: (e: FormEvent) => void;
};

/** E-mail and password state for a sign-in form; a successful `signIn` becomes the session's principal. */
export function useSignIn(signIn: (email: string, password: string) => Promise<{ principal?: Principal }>): SignInState {
  const { setPrincipal } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const submitState = useSubmit();

  function submit(e: FormEvent) {
    e.preventDefault();
    void submitState.run(async () => {
      const res = await signIn(email.trim(), password);
      // No principal: a second step follows (staff two-factor sign-in), which sets it.
      if (res.principal) setPrincipal(res.principal);
    });
  }

  return { ...submitState, email, setEmail, password, setPassword, submit };
}

type SignInFormProps = {
  form: SignInState;
  testId: string;
  emailAutoComplete: string;
  passwordRequired?: boolean;
  errorTestId?: string;
  /** The form's buttons. */
  children: ReactNode;
};

/** The e-mail and password fields, the error line and the actions of a sign-in form. */
export function SignInForm({ form, testId, emailAutoComplete, passwordRequired = false, errorTestId, children }: SignInFormProps) {
  const { t } = useTranslation();
  return (
    <form onSubmit={form.submit} data-testid={testId}>
      <TextField label={t('signIn.email')} name="email" type="email" autoComplete={emailAutoComplete} required value={form.email}
        onChange={form.setEmail} />
      <TextField label={t('signIn.password')} name="password" type="password" autoComplete="current-password" required={passwordRequired}
        value={form.password} onChange={form.setPassword} />
      <ErrorBanner error={form.error} testId={errorTestId} />
      <div className="actions">{children}</div>
    </form>
  );
}
