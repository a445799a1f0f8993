import { ListenerSet } from '@studios/base';
import { ErrorCode } from '@studios/protocol';
import type { Progress } from '../driver';
import { RuntimeError } from '../runtime-error';
import { imageMissingMessage } from './engine-errors';
import { type ImageCatalog, isBuildableImage } from './images';

interface Build {
  done: Promise<void>;
  listeners: ListenerSet<Progress>;
  last?: Progress;
}

/**
 * Makes a Studio image present before a container is created from it. A missing image the build
 * script can make is built once however many Studios wait for it: they all share the one
 * in-flight build and each hears its progress. Builds run one at a time because the script's
 * rootfs cache and `debian:bookworm` import are shared between tags.
 */
export class ImagePreparer {
  readonly #images: ImageCatalog;
  readonly #builds = new Map<string, Build>();
  readonly #abort = new AbortController();
  #queue: Promise<unknown> = Promise.resolve();

  constructor(images: ImageCatalog) {
    this.#images = images;
  }

  async prepare(image: string, onProgress: (progress: Progress) => void = () => {}): Promise<void> {
    if (!this.#builds.has(image) && (await this.#images.exists(image))) return;
    if (!isBuildableImage(image)) throw new RuntimeError(ErrorCode.RuntimeError, imageMissingMessage(image));
    const build = this.#builds.get(image) ?? this.#startBuild(image);
    const subscription = build.listeners.add(onProgress);
    // A late joiner sees where the build is instead of nothing until the next step.
    if (build.last) onProgress(build.last);
    try {
      await build.done;
    } finally {
      subscription.dispose();
    }
  }

  /** Stops a build in flight (server shutdown); its waiters get an error. */
  dispose(): void {
    this.#abort.abort();
  }

  #startBuild(image: string): Build {
    const listeners = new ListenerSet<Progress>();
    const build: Build = {
      listeners,
      done: Promise.resolve(),
    };
    const report = (progress: Progress) => {
      build.last = progress;
      listeners.emit(progress);
    };
    if (this.#builds.size > 0) build.last = { message: `Waiting for another image build before ${image}` };
    build.done = this.#queue
      .catch(() => {})
      .then(async () => {
        if (await this.#images.exists(image)) return;
        report({ message: `Building the Studio image ${image}`, fraction: 0 });
        await this.#images.buildImage(image, report, this.#abort.signal);
        if (!(await this.#images.exists(image))) {
          throw new RuntimeError(
            ErrorCode.RuntimeError,
            `The Studio image build finished but ${image} is still missing. Run scripts/setup/ensure-images.sh ` +
              'on the host and check its output.',
          );
        }
      })
      .finally(() => this.#builds.delete(image));
    this.#queue = build.done;
    this.#builds.set(image, build);
    return build;
  }
}
