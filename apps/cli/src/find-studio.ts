import { type Studio, studioSlug } from '@studios/protocol';
import { CliError } from './cli-error';

/**
 * The Studio `query` names among `studios`: its id, its name (any case) or its slug
 * (`My Studio` → `my-studio`, the name the SSH gateway also accepts). A name several Studios share is refused with
 * their ids, so the person can pick one.
 */
export function findStudio(studios: readonly Studio[], query: string): Studio {
  const byId = studios.find((studio) => studio.id === query);
  if (byId) return byId;
  const wanted = query.trim().toLowerCase();
  const matches = studios.filter((studio) => {
    const slug = studioSlug(studio.name);
    return studio.name.trim().toLowerCase() === wanted || slug === wanted;
  });
  if (matches.length === 1) return matches[0] as Studio;
  if (matches.length > 1) {
    const ids = matches.map((studio) => studio.id).join(', ');
    throw new CliError(`several Studios are named '${query}' (${ids}): pass the id instead`);
  }
  throw new CliError(`none of your Studios is named '${query}': studios list shows them`);
}
