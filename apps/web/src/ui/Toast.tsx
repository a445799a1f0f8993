import { createContext, type ReactNode, useCallback, useContext, useMemo, useRef, useState } from 'react';
import { CloseIcon } from './icons';

export interface ToastAction {
  label: string;
  onSelect(): void;
}

export interface ToastInput {
  /** Toasts with the same id replace each other (e.g. one idle warning at a time). */
  id?: string;
  tone?: 'info' | 'success' | 'warning' | 'danger';
  title: string;
  message?: string;
  action?: ToastAction;
  /** Milliseconds before it hides itself; 0 keeps it until dismissed. */
  durationMs?: number;
}

interface ToastEntry extends ToastInput {
  id: string;
}

interface ToastApi {
  show(toast: ToastInput): string;
  dismiss(id: string): void;
}

const ToastContext = createContext<ToastApi | null>(null);

/** Hosts toasts for the app; errors default to staying until dismissed. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<ToastEntry[]>([]);
  const counter = useRef(0);
  const timers = useRef(new Map<string, ReturnType<typeof setTimeout>>());

  const dismiss = useCallback((id: string) => {
    const timer = timers.current.get(id);
    if (timer) clearTimeout(timer);
    timers.current.delete(id);
    setToasts((list) => list.filter((toast) => toast.id !== id));
  }, []);

  const show = useCallback(
    (input: ToastInput) => {
      counter.current += 1;
      const id = input.id ?? `toast-${counter.current}`;
      setToasts((list) => [...list.filter((toast) => toast.id !== id), { ...input, id }]);
      const existing = timers.current.get(id);
      if (existing) clearTimeout(existing);
      const duration = input.durationMs ?? (input.tone === 'danger' ? 0 : 5000);
      if (duration > 0)
        timers.current.set(
          id,
          setTimeout(() => dismiss(id), duration),
        );
      return id;
    },
    [dismiss],
  );

  const value = useMemo(() => ({ show, dismiss }), [show, dismiss]);
  return (
    <ToastContext.Provider value={value}>
      {children}
      <section className="ui-toasts" aria-label="Notifications" aria-live="polite">
        {toasts.map((toast) => (
          <div
            key={toast.id}
            className={`ui-toast ui-toast--${toast.tone ?? 'info'}`}
            role={toast.tone === 'danger' ? 'alert' : 'status'}
          >
            <div className="ui-toast__text">
              <div className="ui-toast__title">{toast.title}</div>
              {toast.message ? <div className="ui-toast__message">{toast.message}</div> : null}
              {toast.action ? (
                <div className="ui-toast__actions">
                  <button
                    type="button"
                    className="ui-button ui-button--primary ui-button--sm"
                    onClick={() => {
                      dismiss(toast.id);
                      toast.action?.onSelect();
                    }}
                  >
                    {toast.action.label}
                  </button>
                </div>
              ) : null}
            </div>
            <button
              type="button"
              className="ui-icon-button ui-icon-button--sm"
              aria-label="Dismiss notification"
              onClick={() => dismiss(toast.id)}
            >
              <CloseIcon size={12} />
            </button>
          </div>
        ))}
      </section>
    </ToastContext.Provider>
  );
}

/** Shows and dismisses toasts; must be used under ToastProvider. */
export function useToast(): ToastApi {
  const api = useContext(ToastContext);
  if (!api) throw new Error('useToast must be used inside ToastProvider');
  return api;
}
