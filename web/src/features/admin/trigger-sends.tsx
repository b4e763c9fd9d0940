import { useTranslation } from 'react-i18next';
import { call, client } from '../../lib/api.ts';
import { useLoad } from '../../lib/query.ts';
import { SelectField, TextField } from '../../app/ui.tsx';

// A trigger's sending actions (review 2026-12-07, item 26): e-mail the requester / assignee / group from the
// trigger's own text (one per language), and call a registered webhook. The shape is the API's.

export const TRIGGER_LANGUAGES = ['en', 'ru', 'zh', 'bg'] as const;
type Language = (typeof TRIGGER_LANGUAGES)[number];
export type TriggerText = { language: Language; subject: string; body: string };
export type TriggerEmail = { texts: TriggerText[] };
export type SendsDraft = { email_requester?: TriggerEmail; email_assignee?: TriggerEmail; email_group?: TriggerEmail; webhook_id?: string };
const TARGETS = ['email_requester', 'email_assignee', 'email_group'] as const;
const PLACEHOLDERS = ['ticket.ref', 'ticket.subject', 'ticket.status', 'ticket.priority', 'ticket.url', 'requester.name', 'assignee.name', 'group.name', 'trigger.name'];

export function sendsOf(actions: Record<string, unknown>): SendsDraft {
  const out: SendsDraft = {};
  for (const k of TARGETS) {
    const v = actions[k];
    if (v && typeof v === 'object' && 'texts' in v && Array.isArray(v.texts)) out[k] = { texts: v.texts as TriggerText[] };
  }
  if (typeof actions.webhook_id === 'string') out.webhook_id = actions.webhook_id;
  return out;
}

export function TriggerSendsEditor({ value, onChange, err }: { value: SendsDraft; onChange: (v: SendsDraft) => void; err: (path: string) => string | undefined }) {
  const { t } = useTranslation('agentday');
  // Webhooks are registered by admins (API); a supervisor editing triggers may not list them.
  const hooks = useLoad(['webhooks'], async () => {
    try {
      return (await call<{ data: { id: string; url: string; active: boolean }[] }>(client.GET('/api/v1/webhooks'))).data;
    } catch {
      return [];
    }
  });
  const setEmail = (k: (typeof TARGETS)[number], email: TriggerEmail | undefined) => {
    const next = { ...value };
    if (email) next[k] = email;
    else delete next[k];
    onChange(next);
  };
  return (
    <fieldset className="field" data-testid="trigger-sends">
      <legend>{t('trg.sends')}</legend>
      <p className="small muted">{t('trg.placeholders', { list: PLACEHOLDERS.map((p) => `{{${p}}}`).join(' ') })}</p>
      {TARGETS.map((k) => {
        const email = value[k];
        const label = t(k === 'email_requester' ? 'trg.emailRequester' : k === 'email_assignee' ? 'trg.emailAssignee' : 'trg.emailGroup');
        return (
          <div key={k} className="trigger-send" data-testid={`trigger-${k}`}>
            <label className="check">
              <input type="checkbox" checked={!!email} data-testid={`trigger-${k}-on`}
                onChange={(e) => setEmail(k, e.target.checked ? { texts: [{ language: 'en', subject: '', body: '' }] } : undefined)} />
              {label}
            </label>
            {err(`actions.${k}`) ? <small className="field-error" role="alert">{err(`actions.${k}`)}</small> : null}
            {email?.texts.map((text, i) => {
              const setText = (patch: Partial<TriggerText>) => setEmail(k, { texts: email.texts.map((x, j) => (j === i ? { ...x, ...patch } : x)) });
              const lang = t(`trg.lang.${text.language}`);
              return (
                <div key={text.language} className="inline-form">
                  <span className="badge">{lang}</span>
                  <TextField label={`${label} · ${t('trg.subject')} (${lang})`} value={text.subject} onChange={(v) => setText({ subject: v })}
                    error={err(`actions.${k}.texts[${i}].subject`)} data-testid={`trigger-${k}-subject-${text.language}`} />
                  <TextField label={`${label} · ${t('trg.body')} (${lang})`} value={text.body} onChange={(v) => setText({ body: v })}
                    error={err(`actions.${k}.texts[${i}].body`)} data-testid={`trigger-${k}-body-${text.language}`} />
                  {email.texts.length > 1 ? (
                    <button type="button" className="button small" aria-label={t('trg.removeText', { language: lang })}
                      onClick={() => setEmail(k, { texts: email.texts.filter((_, j) => j !== i) })}>×</button>
                  ) : null}
                </div>
              );
            })}
            {email ? (
              <p className="small">
                {TRIGGER_LANGUAGES.filter((l) => !email.texts.some((x) => x.language === l)).map((l) => (
                  <button key={l} type="button" className="button small" onClick={() => setEmail(k, { texts: [...email.texts, { language: l, subject: '', body: '' }] })}>
                    {t('trg.addLanguage', { language: t(`trg.lang.${l}`) })}
                  </button>
                ))}
              </p>
            ) : null}
          </div>
        );
      })}
      <SelectField label={t('trg.webhook')} value={value.webhook_id ?? ''} error={err('actions.webhook_id')} data-testid="trigger-webhook"
        onChange={(v) => { const next = { ...value }; if (v) next.webhook_id = v; else delete next.webhook_id; onChange(next); }}>
        <option value="">{t('trg.webhookNone')}</option>
        {(hooks.data ?? []).filter((h) => h.active || h.id === value.webhook_id).map((h) => <option key={h.id} value={h.id}>{h.url}</option>)}
      </SelectField>
    </fieldset>
  );
}
