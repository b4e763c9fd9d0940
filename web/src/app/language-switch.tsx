import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { changeLanguage, LANGUAGE_NAMES, LANGUAGES, toLanguage } from '../i18n/i18n.ts';
import { api } from '../lib/api.ts';
import { useSession } from '../lib/session.tsx';

/** The UI language; for signed-in staff it is also saved on their profile. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const id = useId();
  const session = useSession();
  const current = toLanguage(i18n.language) ?? 'en';

  async function pick(lang: string) {
    await changeLanguage(lang);
    const p = session.principal;
    if (p && p.kind === 'user') {
      // Staff keep their language on their profile (it also picks the language of their e-mails).
      try {
        const res = await api.updateProfile({ language: lang });
        session.setPrincipal(res.principal);
      } catch {
        // still switched on this device
      }
    }
  }

  return (
    <span className="language-switch">
      <label htmlFor={id} className="visually-hidden">
        {t('language')}
      </label>
      <select id={id} value={current} onChange={(e) => void pick(e.target.value)} data-testid="language-switch">
        {LANGUAGES.map((l) => (
          <option key={l} value={l} lang={l}>
            {LANGUAGE_NAMES[l]}
          </option>
        ))}
      </select>
    </span>
  );
}
