import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { i18nReady } from './i18n/i18n.ts';
import { App } from './app/app.tsx';
import './styles.css';

function render(): void {
  const root = document.getElementById('root');
  if (!root) return;
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}

// The page's language arrives as its own chunk; render once it is in (or without it if it cannot be fetched,
// which shows keys rather than a blank page).
void i18nReady.then(render, render);
