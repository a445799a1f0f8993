import { remoteCursorCss } from '../../shared/remote-cursor-css';
import { colorForUser } from '../../shared/user-color';

/**
 * One `<style>` per remote client, naming its cursor in every cell editor (y-monaco decorates
 * with per-client classes), removed when the client leaves or the notebook closes.
 */
export class RemoteCursorStyles {
  readonly #styles = new Map<number, HTMLStyleElement>();

  update(states: Map<number, unknown>, ownClientId: number): void {
    for (const [clientId, state] of states) {
      if (clientId === ownClientId) continue;
      const remote = (state as { user?: { id?: string; name?: string; color?: string } }).user;
      if (!remote?.name || !remote.id) continue;
      let style = this.#styles.get(clientId);
      if (!style) {
        style = document.createElement('style');
        style.dataset.remoteCursor = String(clientId);
        document.head.append(style);
        this.#styles.set(clientId, style);
      }
      const css = remoteCursorCss(clientId, remote.color ?? '', remote.name, colorForUser(remote.id));
      if (style.textContent !== css) style.textContent = css;
    }
    for (const [clientId, style] of this.#styles) {
      if (!states.has(clientId)) {
        style.remove();
        this.#styles.delete(clientId);
      }
    }
  }

  dispose(): void {
    for (const style of this.#styles.values()) style.remove();
    this.#styles.clear();
  }
}
