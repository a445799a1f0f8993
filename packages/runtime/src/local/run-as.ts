import { execFileSync } from 'node:child_process';
import { ErrorCode } from '@studios/protocol';
import { RuntimeError } from '../runtime-error';

/** The unprivileged account the local runtime runs Studio processes as when the server is root. */
export interface LocalUser {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

/**
 * Looks `name` up in the system's user database (getent: /etc/passwd, LDAP…). Refuses root:
 * the point of the setting is that nobody gets a root shell through a Studio.
 */
export function lookUpLocalUser(name: string): LocalUser {
  let line: string;
  try {
    line = execFileSync('getent', ['passwd', name], { encoding: 'utf8' }).trim();
  } catch {
    throw new RuntimeError(
      ErrorCode.RuntimeError,
      `The local runtime runs Studio processes as the user "${name}" because the server runs as root, ` +
        `but there is no such user. Create it (sudo bash scripts/setup/ensure-local-user.sh, or ` +
        `sudo useradd --create-home --shell /bin/bash ${name}) or set STUDIOS_LOCAL_USER to an existing unprivileged user.`,
    );
  }
  const [, , uid, gid, , home] = line.split(':');
  const user = { name, uid: Number(uid), gid: Number(gid), home: home ?? '/' };
  if (!Number.isInteger(user.uid) || !Number.isInteger(user.gid)) {
    throw new RuntimeError(ErrorCode.RuntimeError, `The user database entry of "${name}" is not readable.`);
  }
  if (user.uid === 0) {
    throw new RuntimeError(
      ErrorCode.RuntimeError,
      `STUDIOS_LOCAL_USER is "${name}", which is root: name an unprivileged user instead.`,
    );
  }
  return user;
}

/**
 * `command` run as `user`: setpriv (util-linux) switches to the user's ids and groups and sets
 * no-new-privileges before exec, so the process has no capabilities and cannot regain any
 * (node-pty alone would keep root's supplementary groups).
 */
export function asUser(user: LocalUser, command: readonly string[]): string[] {
  return [
    'setpriv',
    `--reuid=${user.uid}`,
    `--regid=${user.gid}`,
    '--init-groups',
    '--no-new-privs',
    '--',
    ...command,
  ];
}
