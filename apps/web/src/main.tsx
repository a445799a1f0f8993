import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { AssetProblemBanner } from './app/AssetProblemBanner';
import { SessionProvider } from './shared/session';
import { applyStoredTheme } from './shared/theme';
import { ToastProvider } from './ui/Toast';
import './ui/theme.css';
import './ui/ui.css';
import './app/app.css';

applyStoredTheme();

const root = document.getElementById('root');
if (!root) throw new Error('index.html must contain #root');
createRoot(root).render(
  <StrictMode>
    <ToastProvider>
      <AssetProblemBanner />
      <SessionProvider>
        <App />
      </SessionProvider>
    </ToastProvider>
  </StrictMode>,
);
