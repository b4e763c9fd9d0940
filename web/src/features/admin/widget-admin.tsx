import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useLoad } from '../../lib/query.ts';
import { Badge, ErrorBanner, Field, Loading, TextField } from '../../app/ui.tsx';
import { useSubmit } from '../../app/use-submit.ts';
import { bannerError, fieldErrorsOf, useFocusFirstInvalid } from './forms.ts';
import { ListEdit } from './list-edit.tsx';
import { settingsApi, type Channel, type WidgetSettings } from './settings-api.ts';

type WidgetChannel = Channel & { widget: WidgetSettings; embed: string };
const isWidget = (c: Channel): c is WidgetChannel => c.kind === 'widget' && c.widget !== null && c.embed !== null;

/**
 * Admin → Chat widget (docs/channels.md, "Chat widget"): the widgets a site embeds, each with the pages
 * (origins) allowed to use it, its per-address and per-chat limits, its title, colour and first-response
 * target, and the `<script>` tag to paste into the site. A widget is switched off rather than removed (its
 * chats keep their tickets). The words of the pre-chat form and the greeting are the script's own (en, ru,
 * zh, bg, by the visitor's browser): the API has no setting for them.
 */
export function WidgetAdmin() {
  const { t } = useTranslation('widgetadmin');
  const data = useLoad(['admin', 'channels'], () => settingsApi.channels());
  if (!data.data) return data.error ? <ErrorBanner error={data.error} /> : <Loading />;
  const widgets = data.data.filter(isWidget);
  return (
    <>
      <ListEdit<WidgetChannel> testId="widget-admin" title={t('title')} intro={<p>{t('intro')}</p>} rows={widgets} reload={data.reload}
        rowKey={(c) => c.id} rowTestId={(c) => `widget-row-${c.name}`} rowName={(c) => c.name} empty={t('none')}
        editTestId={(c) => `widget-edit-${c.name}`}
        columns={[
          { header: t('name'), cell: (c) => c.name, rowHeader: true },
          { header: t('origins'), cell: (c) => (c.widget.allowed_origins.length ? c.widget.allowed_origins.join(', ') : t('noOrigins')) },
          { header: t('limits'), cell: (c) => t('limitsCell', { ip: c.widget.per_ip_per_minute, visitor: c.widget.per_visitor_per_minute }) },
          { header: t('firstResponse'), cell: (c) => t('seconds', { n: c.widget.first_response_seconds }) },
          { header: t('chats'), cell: (c) => String(c.tickets) },
          { header: t('state'), cell: (c) => <Badge tone={c.active ? 'green' : 'muted'}>{t(c.active ? 'on' : 'off')}</Badge> },
        ]}
        newLabel={t('new')} newTestId="widget-new"
        editor={({ row, saved, cancel }) => <WidgetEditor row={row} onCancel={cancel} onSaved={saved} />}
        actions={[{
          label: (c) => t(c.active ? 'switchOff' : 'switchOn'), ariaLabel: (c) => t(c.active ? 'switchOffOne' : 'switchOnOne', { name: c.name }),
          testId: (c) => `widget-toggle-${c.name}`,
          run: async (c) => { await settingsApi.updateChannel(c.id, { active: !c.active }); return t(c.active ? 'switchedOff' : 'switchedOn', { name: c.name }); },
        }]} />
      {widgets.map((c) => <EmbedSnippet key={c.id} widget={c} />)}
    </>
  );
}

/** The tag to paste into the site, selectable and copyable with one button (keyboard: Tab, Enter). */
function EmbedSnippet({ widget }: { widget: WidgetChannel }) {
  const { t } = useTranslation('widgetadmin');
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const id = `widget-embed-${widget.id}`;
  async function copy() {
    try {
      await navigator.clipboard.writeText(widget.embed);
      setCopied('yes');
    } catch {
      // No clipboard permission (an insecure origin, a refused prompt): the text stays selectable.
      setCopied('no');
    }
  }
  return (
    <section className="panel" aria-labelledby={`${id}-h`} data-testid={`widget-embed-${widget.name}`}>
      <h3 id={`${id}-h`}>{t('embedTitle', { name: widget.name })}</h3>
      <p className="muted">{t('embedHint')}</p>
      <pre><code id={id} data-testid="widget-embed-code">{widget.embed}</code></pre>
      <div className="actions">
        <button type="button" className="button" aria-describedby={id} onClick={() => void copy()} data-testid="widget-embed-copy">{t('copy')}</button>
        <span role="status" className="muted">{copied === 'yes' ? t('copied') : copied === 'no' ? t('copyFailed') : ''}</span>
      </div>
    </section>
  );
}

const FIELDS = ['name', 'widget.allowed_origins', 'widget.title', 'widget.color', 'widget.per_ip_per_minute', 'widget.per_visitor_per_minute', 'widget.first_response_seconds'];

/** The error of a field, also for the origins list, whose errors name the line (`widget.allowed_origins[2]`). */
function errorOf(errors: Record<string, string>, field: string, lines?: readonly string[]): string | undefined {
  if (errors[field]) return errors[field];
  const key = Object.keys(errors).find((k) => k.startsWith(`${field}[`));
  if (!key) return undefined;
  const index = Number(/\[(\d+)\]/.exec(key)?.[1]);
  return lines && Number.isInteger(index) && lines[index] !== undefined ? `${lines[index]}: ${errors[key]}` : errors[key];
}

const DEFAULTS: WidgetSettings = { allowed_origins: [], title: 'Chat with us', color: '#1d4ed8', per_ip_per_minute: 60, per_visitor_per_minute: 30, first_response_seconds: 60 };

function WidgetEditor({ row, onSaved, onCancel }: { row: WidgetChannel | null; onSaved: (message: string) => Promise<void>; onCancel: () => void }) {
  const { t } = useTranslation('widgetadmin');
  const start = row?.widget ?? DEFAULTS;
  const [name, setName] = useState(row?.name ?? '');
  const [origins, setOrigins] = useState(start.allowed_origins.join('\n'));
  const [title, setTitle] = useState(start.title);
  const [color, setColor] = useState(start.color);
  const [perIp, setPerIp] = useState(String(start.per_ip_per_minute));
  const [perVisitor, setPerVisitor] = useState(String(start.per_visitor_per_minute));
  const [firstResponse, setFirstResponse] = useState(String(start.first_response_seconds));
  const { busy, error, run } = useSubmit();
  const formRef = useFocusFirstInvalid<HTMLFormElement>(error);
  const fe = fieldErrorsOf(error);
  const lines = origins.split('\n').map((l) => l.trim()).filter(Boolean);
  const heading = row ? t('editOne', { name: row.name }) : t('new');
  // Numbers go as typed: the API names a field that is not a whole number in range.
  const number = (s: string) => (s.trim() === '' ? Number.NaN : Number(s));
  function submit(e: FormEvent) {
    e.preventDefault();
    const widget = {
      allowed_origins: lines, title: title.trim(), color: color.trim(),
      per_ip_per_minute: number(perIp), per_visitor_per_minute: number(perVisitor), first_response_seconds: number(firstResponse),
    };
    void run(async () => {
      if (row) {
        const updated = await settingsApi.updateChannel(row.id, { name: name.trim(), widget });
        await onSaved(t('saved', { name: updated.name }));
      } else {
        const created = await settingsApi.createChannel({ kind: 'widget', name: name.trim(), widget });
        await onSaved(t('added', { name: created.name }));
      }
    });
  }
  return (
    <form ref={formRef} className="panel" noValidate onSubmit={submit} aria-label={heading} data-testid="widget-editor">
      <h3>{heading}</h3>
      <TextField label={t('name')} error={fe.name} value={name} onChange={setName} data-testid="widget-name" />
      <Field label={t('origins')} hint={t('originsHint')} error={errorOf(fe, 'widget.allowed_origins', lines)}>
        {(p) => <textarea {...p} rows={3} value={origins} onChange={(e) => setOrigins(e.target.value)} spellCheck={false} data-testid="widget-origins" />}
      </Field>
      <TextField label={t('widgetTitle')} hint={t('widgetTitleHint')} error={fe['widget.title']} value={title} onChange={setTitle} data-testid="widget-title" />
      <TextField label={t('color')} hint={t('colorHint')} error={fe['widget.color']} value={color} onChange={setColor} data-testid="widget-color" />
      <TextField label={t('perIp')} hint={t('perIpHint')} type="number" inputMode="numeric" min={1} error={fe['widget.per_ip_per_minute']} value={perIp} onChange={setPerIp} data-testid="widget-per-ip" />
      <TextField label={t('perVisitor')} hint={t('perVisitorHint')} type="number" inputMode="numeric" min={1} error={fe['widget.per_visitor_per_minute']} value={perVisitor} onChange={setPerVisitor} data-testid="widget-per-visitor" />
      <TextField label={t('firstResponseLabel')} hint={t('firstResponseHint')} type="number" inputMode="numeric" min={10} error={fe['widget.first_response_seconds']} value={firstResponse} onChange={setFirstResponse} data-testid="widget-first-response" />
      <ErrorBanner error={bannerError(error, [...FIELDS, ...Object.keys(fe).filter((k) => k.startsWith('widget.allowed_origins['))])} />
      <div className="actions">
        <button type="button" className="button" onClick={onCancel}>{t('cancel')}</button>
        <button type="submit" className="button primary" disabled={busy} data-testid="widget-save">{row ? t('save') : t('add')}</button>
      </div>
    </form>
  );
}
