import { useTranslation } from 'react-i18next';
import { useLoad } from '../../lib/query.ts';
import { STATUS_KEY, statusApi } from './status-api.ts';

/**
 * The banners every screen shows (the web form, the portal, the staff app): degraded mode and an active
 * surge, in the reader's language — the words the admin or supervisor typed, or the default notice.
 * `audience` picks the default words: customers are told what it means for their request.
 */
export function ServiceBanner({ audience }: { audience: 'customer' | 'staff' }) {
  const { t } = useTranslation('status');
  const status = useLoad(STATUS_KEY, statusApi.status).data;
  if (!status) return null;
  return (
    <>
      {status.read_only.enabled ? (
        <p className="banner banner-error" role="status" data-testid="read-only-banner">
          <strong>{t(`readOnly.title.${audience}`)}</strong> {status.read_only.message ?? t(`readOnly.default.${audience}`)}
          {audience === 'staff' ? <> <a href="/queue/print" data-testid="print-queue-link">{t('print.title')}</a></> : null}
        </p>
      ) : null}
      {status.surge.active ? (
        <p className="banner banner-warn" role="status" data-testid="surge-banner">
          <strong>{t(`surge.title.${audience}`)}</strong> {status.surge.message ?? t(`surge.default.${audience}`)}
        </p>
      ) : null}
    </>
  );
}
