import { Component, lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Loading } from './ui.tsx';

/**
 * A screen loaded on first visit (its own chunk, see web/vite.config.ts): `lazyPage(() => import('…'), 'Name')`
 * picks the named export, so feature files keep their named exports.
 */
export function lazyPage<M extends Record<K, ComponentType>, K extends keyof M>(load: () => Promise<M>, name: K) {
  return lazy(async () => ({ default: (await load())[name] }));
}

/** Where a lazily loaded screen appears: the loading line while its chunk arrives, a way out if it cannot. */
export function PageBoundary({ children }: { children: ReactNode }) {
  return (
    <ChunkErrorBoundary>
      <Suspense fallback={<PageLoading />}>{children}</Suspense>
    </ChunkErrorBoundary>
  );
}

function PageLoading() {
  const { t } = useTranslation();
  return <Loading label={t('loading')} />;
}

function ChunkFailed() {
  const { t } = useTranslation();
  // After a deploy the old chunk names are gone: a reload fetches the new index and its chunks.
  return (
    <div className="banner banner-error" role="alert" data-testid="page-load-error">
      {t('error.network')}{' '}
      <button type="button" className="link-button" onClick={() => window.location.reload()}>
        {t('reload')}
      </button>
    </div>
  );
}

class ChunkErrorBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override render(): ReactNode {
    return this.state.failed ? <ChunkFailed /> : this.props.children;
  }
}
