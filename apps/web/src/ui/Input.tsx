import { type ComponentPropsWithRef, type ReactNode, type SelectHTMLAttributes, useId } from 'react';

interface FieldProps {
  label: string;
  hint?: ReactNode;
  /** Shown under the control and announced; marks the control invalid. */
  error?: string | null;
}

/** With `ref` (React 19 passes it as a prop) for callers that select or focus the text. */
export type InputProps = ComponentPropsWithRef<'input'> & FieldProps;

/** A labelled text input with hint and inline error. */
export function Input({ label, hint, error, id, className, ...props }: InputProps) {
  const generated = useId();
  const inputId = id ?? generated;
  const describedBy = error ? `${inputId}-error` : hint ? `${inputId}-hint` : undefined;
  return (
    <div className="ui-field">
      <label className="ui-field__label" htmlFor={inputId}>
        {label}
      </label>
      <input
        id={inputId}
        className={`ui-input ${className ?? ''}`}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        {...props}
      />
      {error ? (
        <div id={`${inputId}-error`} className="ui-field__error" role="alert">
          {error}
        </div>
      ) : hint ? (
        <div id={`${inputId}-hint`} className="ui-field__hint">
          {hint}
        </div>
      ) : null}
    </div>
  );
}

export type TextAreaProps = ComponentPropsWithRef<'textarea'> & FieldProps;

/** A labelled multi-line input (pasted keys, longer text), with hint and inline error. */
export function TextArea({ label, hint, error, id, className, ...props }: TextAreaProps) {
  const generated = useId();
  const inputId = id ?? generated;
  const describedBy = error ? `${inputId}-error` : hint ? `${inputId}-hint` : undefined;
  return (
    <div className="ui-field">
      <label className="ui-field__label" htmlFor={inputId}>
        {label}
      </label>
      <textarea
        id={inputId}
        className={`ui-textarea ${className ?? ''}`}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        {...props}
      />
      {error ? (
        <div id={`${inputId}-error`} className="ui-field__error" role="alert">
          {error}
        </div>
      ) : hint ? (
        <div id={`${inputId}-hint`} className="ui-field__hint">
          {hint}
        </div>
      ) : null}
    </div>
  );
}

export type SelectProps = SelectHTMLAttributes<HTMLSelectElement> & FieldProps & { hideLabel?: boolean };

/** A labelled native select (native keeps keyboard and screen-reader behaviour right). */
export function Select({ label, hint, error, id, hideLabel, className, children, ...props }: SelectProps) {
  const generated = useId();
  const selectId = id ?? generated;
  return (
    <div className="ui-field">
      <label className={hideLabel ? 'visually-hidden' : 'ui-field__label'} htmlFor={selectId}>
        {label}
      </label>
      <select
        id={selectId}
        className={`ui-select ${className ?? ''}`}
        aria-invalid={error ? true : undefined}
        {...props}
      >
        {children}
      </select>
      {error ? (
        <div className="ui-field__error">{error}</div>
      ) : hint ? (
        <div className="ui-field__hint">{hint}</div>
      ) : null}
    </div>
  );
}
