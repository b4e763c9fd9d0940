import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useWords } from '../../i18n/i18n.ts';
import { formatDateTime, formatWhen } from '../../lib/format.ts';
import { humanize } from '../../lib/api.ts';
import type { AppNotification } from './notifications-api.ts';

/** The bell's list (notification-bell.tsx), newest first: each links to its ticket and can be marked read. */
export function NotificationList({ items, onOpen, onRead }: { items: readonly AppNotification[]; onOpen: (n: AppNotification) => void; onRead: (n: AppNotification) => void }) {
  const { t } = useTranslation('agentday');
  return (
    <ul className="bell-list">
      {items.map((n) => (
        <li key={n.id} className={n.read_at ? 'read' : 'unread'} data-testid="bell-item" data-read={n.read_at ? 'true' : 'false'}>
          {n.ticket_number !== null ? (
            <Link to={`/tickets/${n.ticket_number}`} onClick={() => onOpen(n)}><NotificationText n={n} /></Link>
          ) : (
            <NotificationText n={n} />
          )}
          <span className="muted small">
            <time dateTime={n.created_at}>{formatWhen(n.created_at)}</time>
            {n.read_at ? null : (
              <>
                {' · '}
                <button type="button" className="link-button" onClick={() => onRead(n)} data-testid="bell-read-one">{t('bell.markOne')}</button>
              </>
            )}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** What happened, in the reader's language, from the notification's facts; its English title only for kinds this screen does not know. */
function NotificationText({ n }: { n: AppNotification }) {
  const { t, i18n } = useTranslation('agentday');
  useWords(i18n.language, 'admin');
  const d = n.data;
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  const ref = n.ticket_number !== null ? `#${n.ticket_number}` : '';
  const metric = str(d.metric) ? t(`workspace:sla.metric.${str(d.metric)}`, { defaultValue: humanize(str(d.metric)) }) : '';
  const kind = n.kind.replace(/\./g, '_');
  const known = ['sla_warning', 'sla_breach', 'sla_escalation', 'ticket_auto_solved'].includes(kind);
  const action = str(d.action) ? t(`admin:pol.esc.${str(d.action)}`, { defaultValue: humanize(str(d.action)) }) : '';
  return (
    <span className="bell-text">
      <strong>{known ? t(`bell.kind.${kind}`, { ref, metric, level: String(d.level ?? ''), action }) : n.title}</strong>
      {n.ticket_subject ? <span className="small"> {n.ticket_subject}</span> : null}
      {str(d.due_at) ? <span className="small muted"> · {t('bell.due', { when: formatDateTime(str(d.due_at)) })}</span> : null}
    </span>
  );
}
