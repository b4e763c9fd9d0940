import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call, client } from '../../lib/api.ts';
import { ErrorBanner, TextField } from '../../app/ui.tsx';
import { useSubmit } from '../../app/use-submit.ts';
import { bannerError, fieldErrorsOf } from './forms.ts';

const LANGS = ['en', 'ru', 'zh', 'bg'] as const;
type Lang = (typeof LANGS)[number];
export type CategoryNames = Partial<Record<Lang, string>>;

/**
 * A category's name in each help-centre language (the help centre shows the reader's, or the default name).
 * Rendered inside the categories form, so it saves on its button (and Enter) rather than as a nested form.
 */
export function KbCategoryNames({ category, onSaved, onCancel }: { category: { id: string; name: string; names?: CategoryNames }; onSaved: (message: string) => Promise<void>; onCancel: () => void }) {
  const { t } = useTranslation('admin2');
  const [names, setNames] = useState<CategoryNames>(category.names ?? {});
  const { busy, error, run } = useSubmit();
  const fe = fieldErrorsOf(error);
  function save() {
    void run(async () => {
      const body = Object.fromEntries(LANGS.map((l) => [l, (names[l] ?? '').trim()]));
      await call<unknown>(client.PATCH('/api/v1/kb/categories/{id}', { params: { path: { id: category.id } }, body: { names: body } }));
      await onSaved(t('kbCat.saved', { name: category.name }));
    });
  }
  return (
    <fieldset className="field" data-testid={`kb-category-names-${category.name}`}>
      <legend>{t('kbCat.legend', { name: category.name })}</legend>
      <p className="muted small">{t('kbCat.hint')}</p>
      {LANGS.map((l) => (
        <TextField key={l} lang={l} label={t('kbCat.nameIn', { language: t(`lang.${l}`) })} error={fe[l]} value={names[l] ?? ''} placeholder={category.name}
          onChange={(v) => setNames((n) => ({ ...n, [l]: v }))} data-testid={`kb-category-name-${l}`}
          onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); save(); } }} />
      ))}
      <ErrorBanner error={bannerError(error, [...LANGS])} />
      <div className="actions">
        <button type="button" className="button small" onClick={onCancel}>{t('list.cancel')}</button>
        <button type="button" className="button small primary" disabled={busy} onClick={save} data-testid="kb-category-names-save">{t('list.save')}</button>
      </div>
    </fieldset>
  );
}
