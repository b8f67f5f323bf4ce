/**
 * The worker's side of the playground protocol, apart from the worker itself so Deno can test
 * it: owns one {@link TrainingSession}, runs, pauses, steps and resets it on request, and
 * reports every `every` steps (losses read in one go, a gradient probe and a test evaluation).
 *
 * Between batches of steps it yields to the event loop, which is how a `pause` sent while
 * training gets through.
 *
 * @module
 */
import type { FromWorker, Progress, ToWorker } from "./protocol.ts";
import { sequenceLengthOf } from "./params.ts";
import { type SessionSettings, type StepRecord, TrainingSession } from "./session.ts";

/** Loads a backend; returns the one in use and, when wasm was wanted and did not load, why. */
export type BackendLoader = (
  backend: "auto" | "wasm" | "cpu",
  wasm: ArrayBuffer | null,
) => Promise<{ backend: string; note: string | null }>;

/** Longest stretch of training between two turns of the event loop (ms). */
const YIELD_MS = 150;

const turn = () => new Promise<void>((r) => setTimeout(r, 0));

/** Handles page messages; `post` sends the replies. */
export class Trainer {
  #post: (m: FromWorker) => void;
  #load: BackendLoader;
  #session: TrainingSession | null = null;
  #settings: SessionSettings | null = null;
  #every = 10;
  #running = false;
  #stop = false;
  #ready: Promise<void> | null = null;
  #queue: Promise<void> = Promise.resolve();

  constructor(post: (m: FromWorker) => void, load: BackendLoader) {
    this.#post = post;
    this.#load = load;
  }

  /**
   * Handles one message. `pause` acts at once (between steps); the others run one after
   * another in arrival order. Errors become an `error` message.
   */
  handle(msg: ToWorker): Promise<void> {
    if (msg.type === "pause") {
      this.#stop = true;
      return Promise.resolve();
    }
    const before = this.#queue;
    const next = before.then(() => this.#dispatch(msg)).catch((e) => {
      this.#running = false;
      this.#post({ type: "error", message: e instanceof Error ? e.message : String(e) });
    });
    // `run` loops until paused or done: what comes after it waits only for what came before.
    this.#queue = msg.type === "run" ? before : next;
    return next;
  }

  async #dispatch(msg: ToWorker): Promise<void> {
    switch (msg.type) {
      case "init": {
        this.#ready = (async () => {
          const r = await this.#load(msg.backend, msg.wasm);
          this.#post({ type: "ready", backend: r.backend, note: r.note });
        })();
        return await this.#ready;
      }
      case "configure":
        this.#settings = { ...msg.settings };
        this.#every = msg.every;
        return await this.#configure();
      case "reset":
        return await this.#configure();
      case "step":
        if (this.#running) return;
        this.#need().trainOne();
        return await this.#report("progress");
      case "run":
        return await this.#run(msg.until);
      case "pause":
        return;
    }
  }

  #need(): TrainingSession {
    if (!this.#session) throw new Error("no session: configure first");
    return this.#session;
  }

  async #configure(): Promise<void> {
    if (!this.#ready) throw new Error("no backend: init first");
    await this.#ready;
    if (!this.#settings) throw new Error("no settings: configure first");
    this.#stop = true;
    while (this.#running) await turn();
    this.#session?.dispose();
    this.#session = null;
    this.#session = new TrainingSession(this.#settings);
    await this.#report("configured");
  }

  async #report(type: "configured" | "progress", steps: StepRecord[] = [], ms = 0): Promise<void> {
    const s = this.#need();
    steps = [...steps, ...await s.drain()];
    const probe = await s.probe();
    const evaluation = await s.evaluate();
    const progress: Progress = {
      steps,
      probe,
      eval: evaluation,
      stepsPerSecond: steps.length && ms > 0 ? steps.length / (ms / 1000) : null,
    };
    if (type === "configured") {
      this.#post({
        type,
        baseline: s.baseline,
        seqLength: sequenceLengthOf(s.settings),
        ...progress,
      });
    } else this.#post({ type, ...progress });
  }

  async #run(until: number | null): Promise<void> {
    const s = this.#need();
    if (this.#running) return;
    this.#running = true;
    this.#stop = false;
    try {
      while (!this.#stop && (until === null || s.step < until)) {
        const t0 = performance.now();
        let lastTurn = t0;
        const steps: StepRecord[] = [];
        // Train to the next report point, giving the event loop a turn now and then.
        do {
          s.trainOne();
          if (performance.now() - lastTurn > YIELD_MS) {
            steps.push(...await s.drain());
            await turn();
            lastTurn = performance.now();
          }
        } while (
          s.step % this.#every !== 0 && s.step !== until && !this.#stop
        );
        const ms = performance.now() - t0;
        steps.push(...await s.drain());
        const bad = steps.find((r) => !Number.isFinite(r.loss) || !Number.isFinite(r.gradNorm));
        if (bad) {
          this.#post({
            type: "diverged",
            step: bad.step,
            reason: !Number.isFinite(bad.loss)
              ? `the training loss is ${bad.loss}`
              : `the gradient norm is ${bad.gradNorm}`,
          });
          return;
        }
        await this.#report("progress", steps, ms);
        if (s.step === until) {
          this.#post({ type: "done", step: s.step, finalLoss: steps[steps.length - 1].loss });
          return;
        }
        await turn();
      }
      this.#post({ type: "paused", step: s.step });
    } finally {
      this.#running = false;
    }
  }
}
