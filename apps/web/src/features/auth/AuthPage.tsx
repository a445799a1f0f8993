import { type FormEvent, useState } from 'react';
import { describeError } from '../../api/api-error';
import { api } from '../../api/client';
import { navigate } from '../../shared/router';
import { useSession } from '../../shared/session';
import { Button } from '../../ui/Button';
import { Input } from '../../ui/Input';
import { validateAuthForm } from './validate-auth-form';

/** Sign up and log in, with errors shown inline under the form. */
export function AuthPage({ mode }: { mode: 'login' | 'signup' }) {
  const { signedIn } = useSession();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<'email' | 'name' | 'password', string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const isSignup = mode === 'signup';

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const errors = validateAuthForm(mode, { email, name, password });
    setFieldErrors(errors);
    setFormError(null);
    if (Object.keys(errors).length > 0) return;
    setBusy(true);
    try {
      const user = isSignup
        ? await api.auth.signup({ email: email.trim(), name: name.trim(), password })
        : await api.auth.login({ email: email.trim(), password });
      signedIn(user);
    } catch (error) {
      setFormError(describeError(error));
    } finally {
      setBusy(false);
    }
  };

  const switchTo = (target: string) => (event: React.MouseEvent) => {
    event.preventDefault();
    setFormError(null);
    setFieldErrors({});
    navigate(target + window.location.search);
  };

  return (
    <main className="auth-page">
      <div className="auth-card">
        <div className="auth-card__brand">
          <span className="app-logo__mark" aria-hidden="true" /> Studios
        </div>
        <h1 className="auth-card__title">{isSignup ? 'Create your account' : 'Log in to Studios'}</h1>
        <p className="auth-card__subtitle">
          {isSignup ? 'Persistent cloud workspaces you code in together.' : 'Welcome back.'}
        </p>
        <form onSubmit={onSubmit} noValidate aria-label={isSignup ? 'Sign up' : 'Log in'}>
          {isSignup ? (
            <Input
              label="Name"
              name="name"
              autoComplete="name"
              value={name}
              onChange={(event) => setName(event.target.value)}
              error={fieldErrors.name}
              autoFocus
            />
          ) : null}
          <Input
            label="Email"
            name="email"
            type="email"
            autoComplete="email"
            value={email}
            onChange={(event) => setEmail(event.target.value)}
            error={fieldErrors.email}
            autoFocus={!isSignup}
          />
          <Input
            label="Password"
            name="password"
            type="password"
            autoComplete={isSignup ? 'new-password' : 'current-password'}
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            error={fieldErrors.password}
            hint={isSignup ? 'At least 8 characters.' : undefined}
          />
          {formError ? (
            <div className="ui-alert" role="alert" data-testid="auth-error">
              {formError}
            </div>
          ) : null}
          <Button type="submit" variant="primary" loading={busy}>
            {isSignup ? 'Create account' : 'Log in'}
          </Button>
        </form>
        <p className="auth-card__switch">
          {isSignup ? 'Already have an account? ' : 'New to Studios? '}
          <a href={isSignup ? '/login' : '/signup'} onClick={switchTo(isSignup ? '/login' : '/signup')}>
            {isSignup ? 'Log in' : 'Create an account'}
          </a>
        </p>
      </div>
    </main>
  );
}
