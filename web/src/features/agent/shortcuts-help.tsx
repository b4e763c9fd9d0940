import { useTranslation } from 'react-i18next';
import { InfoDialog } from '../../app/primitives.tsx';

const QUEUE_KEYS = [['j k', 'jk'], ['Enter o', 'open'], ['x', 'select'], ['a', 'assign'], ['/', 'search'], ['?', 'help']] as const;
const TICKET_KEYS = [['r', 'reply'], ['n', 'note'], ['a', 'assign'], ['] j', 'next'], ['u Esc', 'back'], ['?', 'help']] as const;

/** The "?" list of the workspace's keyboard shortcuts (review 2026-12-07 item 15). */
export function ShortcutsHelp({ open, onClose, page }: { open: boolean; onClose: () => void; page: 'queue' | 'ticket' }) {
  const { t } = useTranslation('display');
  const [keys, prefix] = page === 'queue' ? [QUEUE_KEYS, 'q'] : [TICKET_KEYS, 't'];
  return (
    <InfoDialog open={open} onClose={onClose} title={t('shortcuts.title')} testId="shortcuts-help">
      <h3 className="small">{t(page === 'queue' ? 'shortcuts.queue' : 'shortcuts.ticket')}</h3>
      <dl className="shortcut-list">
        {keys.map(([combo, what]) => (
          <div key={what}>
            <dt>{combo.split(' ').map((k, i) => <span key={k}>{i > 0 ? ' ' : null}<kbd>{k}</kbd></span>)}</dt>
            <dd>{t(`shortcuts.${prefix}.${what}`)}</dd>
          </div>
        ))}
      </dl>
      <p className="muted small">{t('shortcuts.note')}</p>
    </InfoDialog>
  );
}
