import type { InputPrompt } from '@studios/protocol';
import { type FormEvent, useState } from 'react';
import { describeError } from '../../api/api-error';

export interface CellInputPromptProps {
  prompt: InputPrompt;
  /** The prompt is this user's to answer (they ran the cell); others only see who it waits for. */
  forMe: boolean;
  askedBy: string;
  onAnswer(value: string): Promise<void>;
}

/** A kernel's `input()` / `getpass()` request, answered by the person who ran the cell. */
export function CellInputPrompt({ prompt, forMe, askedBy, onAnswer }: CellInputPromptProps) {
  const [value, setValue] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (!forMe) {
    return (
      <div className="nb-input nb-input--waiting" data-testid="cell-input-waiting">
        {prompt.prompt ? <span className="nb-input__prompt">{prompt.prompt}</span> : null}
        waiting for input from {askedBy}
      </div>
    );
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSending(true);
    setError(null);
    try {
      await onAnswer(value);
      setValue('');
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setSending(false);
    }
  };

  return (
    <form className="nb-input" data-testid="cell-input-box" onSubmit={submit}>
      <label className="nb-input__prompt">
        {prompt.prompt || 'Input:'}
        <input
          className="ui-input nb-input__field"
          type={prompt.password ? 'password' : 'text'}
          autoComplete="off"
          value={value}
          disabled={sending}
          onChange={(event) => setValue(event.target.value)}
          data-testid="cell-input"
        />
      </label>
      {error ? (
        <span className="nb-input__error" role="alert">
          {error}
        </span>
      ) : null}
    </form>
  );
}
