import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { changeLanguage, LANGUAGE_NAMES, LANGUAGES, toLanguage } from '../i18n/i18n.ts';

/** The UI language; for signed-in staff it is also saved on their profile. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const id = useId();
  const current = toLanguage(i18n.language) ?? 'en';

  async function pick(lang: string) {
    await changeLanguage(lang);
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
