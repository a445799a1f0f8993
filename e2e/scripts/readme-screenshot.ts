/**
 * Takes the README's screenshot (docs/screenshot.png, 1400×900): two people in one Studio, a
 * Python file open with the collaborator's cursor label, a few files in the tree and a terminal
 * with output. Run it after a web build: `npm run screenshot -w @studios/e2e`.
 */
import { resolve } from 'node:path';
import { waitFor } from '@studios/testkit';
import {
  ApiUser,
  launchBrowser,
  openFileInEditor,
  openStudio,
  remoteCursorLabels,
  signedInPerson,
  startStudiosServer,
  waitForStudioState,
  waitForTerminalRow,
} from '../src/index';

const OUTPUT = resolve(import.meta.dirname, '../../docs/screenshot.png');

const TRAIN_PY = `"""Fit a tiny linear model with gradient descent and report the loss per epoch."""
import random

from data.loader import load_points


def predict(weights, x):
    w, b = weights
    return w * x + b


def train(points, epochs=5, learning_rate=0.05):
    weights = [0.0, 0.0]
    for epoch in range(1, epochs + 1):
        random.shuffle(points)
        loss = 0.0
        for x, y in points:
            error = predict(weights, x) - y
            weights[0] -= learning_rate * error * x
            weights[1] -= learning_rate * error
            loss += error * error
        print(f"epoch {epoch}  loss {loss / len(points):.4f}")
    return weights


if __name__ == "__main__":
    random.seed(7)
    w, b = train(load_points(200))
    print(f"done: y = {w:.2f}x + {b:.2f}")
`;

const LOADER_PY = `import random


def load_points(count):
    """Noisy samples of y = 3x + 1."""
    return [(x, 3 * x + 1 + random.gauss(0, 0.1)) for x in (random.random() for _ in range(count))]
`;

const FILES: Record<string, string> = {
  'train.py': TRAIN_PY,
  'data/__init__.py': '',
  'data/loader.py': LOADER_PY,
  'README.md': '# Linear fit\n\nRun `python3 train.py`.\n',
  'requirements.txt': 'numpy==1.24.2\n',
};

async function main(): Promise<void> {
  const [server, browser] = await Promise.all([
    startStudiosServer({ STUDIOS_RUNTIME: 'docker' }),
    launchBrowser(),
  ]);
  let owner: ApiUser | undefined;
  let studioId = '';
  try {
    owner = await ApiUser.signup(server.url, 'ada@example.com', 'Ada Lovelace');
    const grace = await ApiUser.signup(server.url, 'grace@example.com', 'Grace Hopper');
    studioId = (await owner.createStudio('linear-fit')).id;
    await owner.addMember(studioId, grace.user.email, 'editor');
    for (const [path, content] of Object.entries(FILES)) await owner.writeFile(studioId, path, content);

    const ada = await signedInPerson(browser, owner);
    const bob = await signedInPerson(browser, grace);
    await openStudio(ada.page, studioId);
    await waitForStudioState(ada.page, 'running');

    await ada.page.getByTestId('new-terminal').click();
    const tab = ada.page.locator('[data-testid^="terminal-tab-"]');
    await tab.waitFor();
    const terminalId = ((await tab.getAttribute('data-testid')) ?? '').replace('terminal-tab-', '');
    await ada.page.getByTestId(`terminal-${terminalId}`).click();
    await ada.page.keyboard.type('python3 -B train.py');
    await ada.page.keyboard.press('Enter');
    await waitForTerminalRow(ada.page, terminalId, (row) => row.startsWith('done: y ='), 'the run to finish');

    // Grace joins after the run, so her page replays its finished output from the snapshot.
    await openStudio(bob.page, studioId);
    await waitForTerminalRow(bob.page, terminalId, (row) => row.startsWith('done: y ='), 'Grace to see it');

    await ada.page.getByTestId('file-data').click();
    await ada.page.getByTestId('file-data/loader.py').waitFor();
    await openFileInEditor(ada.page, 'train.py');
    await openFileInEditor(bob.page, 'train.py');

    // Grace edits the learning rate line; her caret stays there with its name label.
    await bob.page.getByTestId('editor-train.py').locator('.view-lines').click();
    await bob.page.keyboard.press('Control+Home');
    for (let line = 1; line < 12; line += 1) await bob.page.keyboard.press('ArrowDown');
    await bob.page.keyboard.press('End');
    await bob.page.keyboard.type('  # try 0.1 next');
    await waitFor(async () => (await remoteCursorLabels(ada.page, 'train.py')).includes('Grace Hopper'), {
      timeoutMs: 15_000,
      what: "Grace's cursor label in Ada's editor",
    });

    await ada.page.getByTestId(`presence-${grace.user.id}`).waitFor();
    // The caret blinks; park the mouse off the editor so no hover widget covers the code.
    await ada.page.mouse.move(700, 5);
    await ada.page.screenshot({ path: OUTPUT });
    console.log(`wrote ${OUTPUT}`);
  } finally {
    if (owner && studioId) await owner.deleteStudio(studioId);
    await browser.close();
    await server.stop();
  }
}

await main();
