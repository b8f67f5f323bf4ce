/**
 * The playground's settings and their URL form: every control is a query parameter
 * (`?cell=lstm&T=40&autorun=1&steps=300`), so a link reproduces a setting.
 *
 * Pure (no DOM, no tfjs): the page validates its URL with it before anything trains, and the
 * tests check every rule in Deno. A bad parameter gives one line naming it and saying why.
 *
 * @module
 */

/** The two tasks (adding problem, copy memory). */
export type PlaygroundTask = "adding" | "copy";
/** Backends the page may run on: `auto` tries wasm, then cpu. */
export type PlaygroundBackend = "auto" | "wasm" | "cpu";

/** One complete setting of the playground. */
export interface Settings {
  task: PlaygroundTask;
  /** A registry cell, optionally `NAME+attn`. */
  cell: string;
  /** Stacked recurrent layers. */
  layers: number;
  /** The task's length parameter T (copy sequences are T + 2·symbols long). */
  T: number;
  /** Hidden size. */
  H: number;
  batch: number;
  /** Adam's learning rate. */
  lr: number;
  /** Clip gradients to this global norm (Pascanu et al. 2013); null: off. */
  clip: number | null;
  seed: number;
  /** Copy task: symbols to recall. */
  symbols: number;
  backend: PlaygroundBackend;
  /** Start training on load. */
  autorun: boolean;
  /** Stop after this many steps (null: train until paused). */
  steps: number | null;
  /** Probe the gradient and evaluate every this many steps. */
  every: number;
}

/**
 * The page's defaults: a setting that trains in seconds on 2 cores and shows the effect — at
 * T = 40 an LSTM solves the adding problem within about 500 steps at this learning rate, while
 * the tanh RNN's gradient 39 steps back is ~10⁻¹⁰ of the last step's and it never leaves the
 * baseline.
 */
export const DEFAULTS: Readonly<Settings> = {
  task: "adding",
  cell: "lstm",
  layers: 1,
  T: 40,
  H: 32,
  batch: 32,
  lr: 0.01,
  clip: 1,
  seed: 1,
  symbols: 10,
  backend: "auto",
  autorun: false,
  steps: null,
  every: 10,
};

/** Held-out sequences the test metric is computed on (as the quick suite's `testSize`). */
export const TEST_SIZE = 256;

/** Inclusive integer bounds of the integer settings (kept small enough for a browser tab). */
export const LIMITS = {
  layers: [1, 4],
  T: [2, 1000],
  H: [1, 512],
  batch: [1, 512],
  seed: [0, 2 ** 32 - 1],
  symbols: [1, 50],
  steps: [1, 1_000_000],
  every: [1, 10_000],
} as const satisfies Record<string, readonly [number, number]>;

/** Query parameter names, in the order links are written. */
export const PARAM_NAMES = [
  "task",
  "cell",
  "layers",
  "T",
  "H",
  "batch",
  "lr",
  "clip",
  "seed",
  "symbols",
  "backend",
  "autorun",
  "steps",
  "every",
] as const satisfies readonly (keyof Settings)[];

/** A bad URL parameter: `param` names it, the message says why in one line. */
export class ParamError extends Error {
  override name = "ParamError";
  /** The offending parameter's name. */
  readonly param: string;
  constructor(param: string, message: string) {
    super(message);
    this.param = param;
  }
}

/** The `key=value` pairs of a query, percent-decoded; `+` stays `+` (no form encoding here). */
function queryPairs(query: string): [string, string][] {
  const q = query.startsWith("?") ? query.slice(1) : query;
  const out: [string, string][] = [];
  for (const part of q.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const [k, v] = eq < 0 ? [part, ""] : [part.slice(0, eq), part.slice(eq + 1)];
    try {
      out.push([decodeURIComponent(k), decodeURIComponent(v)]);
    } catch {
      throw new ParamError(k, `${k}: not a valid URL-encoded value: ${show(v)}`);
    }
  }
  return out;
}

function show(v: string): string {
  return JSON.stringify(v.length > 40 ? v.slice(0, 40) + "…" : v);
}

function integer(name: keyof typeof LIMITS, raw: string): number {
  const [lo, hi] = LIMITS[name];
  const n = /^\s*-?\d+\s*$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < lo || n > hi) {
    throw new ParamError(name, `${name}: expected a whole number in ${lo}…${hi}, got ${show(raw)}`);
  }
  return n;
}

function positive(name: string, raw: string, max: number): number {
  const n = raw.trim() === "" ? NaN : Number(raw);
  if (!Number.isFinite(n) || n <= 0 || n > max) {
    throw new ParamError(name, `${name}: expected a number in (0, ${max}], got ${show(raw)}`);
  }
  return n;
}

function choice<T extends string>(name: string, raw: string, options: readonly T[]): T {
  if (!(options as readonly string[]).includes(raw)) {
    throw new ParamError(name, `${name}: expected one of ${options.join(", ")}, got ${show(raw)}`);
  }
  return raw as T;
}

/** Every cell name the page offers: each base cell, then each as `NAME+attn`. */
export function cellChoices(baseCells: readonly string[]): string[] {
  return [...baseCells, ...baseCells.map((c) => `${c}+attn`)];
}

/**
 * Parses a query string (`?a=1&b=2` or `a=1&b=2`) over {@link DEFAULTS}. `baseCells` are the
 * registry's base names. Throws {@link ParamError} on the first unknown, repeated or invalid
 * parameter. A `+` is a plus, not a space, so `cell=lstm+attn` reads as typed.
 *
 * @example
 * ```ts
 * const s = parseSettings("?cell=rnn_tanh&T=40&autorun=1&steps=300", ["rnn_tanh", "lstm"]);
 * // s.cell === "rnn_tanh", s.T === 40, s.autorun === true, s.steps === 300
 * ```
 */
export function parseSettings(query: string, baseCells: readonly string[]): Settings {
  const s: Settings = { ...DEFAULTS };
  const seen = new Set<string>();
  for (const [key, raw] of queryPairs(query)) {
    if (!(PARAM_NAMES as readonly string[]).includes(key)) {
      throw new ParamError(
        key,
        `${key}: unknown parameter (known: ${PARAM_NAMES.join(", ")})`,
      );
    }
    if (seen.has(key)) throw new ParamError(key, `${key}: given more than once`);
    seen.add(key);
    const name = key as keyof Settings;
    switch (name) {
      case "task":
        s.task = choice(name, raw, ["adding", "copy"] as const);
        break;
      case "cell":
        s.cell = choice(name, raw, cellChoices(baseCells));
        break;
      case "backend":
        s.backend = choice(name, raw, ["auto", "wasm", "cpu"] as const);
        break;
      case "lr":
        s.lr = positive(name, raw, 1);
        break;
      case "clip":
        s.clip = raw === "off" || raw === "0" ? null : positive(name, raw, 1e6);
        break;
      case "autorun":
        s.autorun = choice(name, raw, ["0", "1"] as const) === "1";
        break;
      default:
        s[name] = integer(name, raw);
    }
  }
  if (s.task === "adding" && seen.has("symbols")) {
    throw new ParamError("symbols", "symbols: only the copy task has symbols (task is adding)");
  }
  return s;
}

/** Always written, so a link says what it shows even if the defaults change. */
const ALWAYS_IN_LINKS: readonly string[] = ["task", "cell", "T"];

/**
 * The query string (without `?`) of `s`: the task, cell and T, and whatever else differs from
 * {@link DEFAULTS}.
 */
export function settingsQuery(s: Settings): string {
  const out: string[] = [];
  for (const name of PARAM_NAMES) {
    if (name === "symbols" && s.task !== "copy") continue;
    const v = s[name];
    if (v === DEFAULTS[name] && !ALWAYS_IN_LINKS.includes(name)) continue;
    const text = v === null ? "off" : v === true ? "1" : v === false ? "0" : String(v);
    // {@link parseSettings} reads `+` as itself, so `lstm+attn` needs no escaping.
    out.push(`${name}=${encodeURIComponent(text).replace(/%2B/g, "+")}`);
  }
  return out.join("&");
}

/** The length of the sequences the network reads: T (adding) or T + 2·symbols (copy). */
export function sequenceLengthOf(s: Pick<Settings, "task" | "T" | "symbols">): number {
  return s.task === "adding" ? s.T : s.T + 2 * s.symbols;
}

/** What the quick suite fixes that `deno task train` has no flag for. */
const QUICK_SUITE = { clip: 1, copySymbols: 5 } as const;

/**
 * The `deno task train` command that trains the same run (on the quick suite, whose clipping
 * and copy symbols have no flag), or null when the setting differs from the suite there.
 * `backend` is the backend the page ran on: same backend, same losses. Without `steps`, the
 * command says `--steps N`: the steps trained so far.
 */
export function trainCommand(s: Settings, backend: string): string | null {
  if (s.clip !== QUICK_SUITE.clip) return null;
  if (s.task === "copy" && s.symbols !== QUICK_SUITE.copySymbols) return null;
  return [
    "deno task train",
    `--task ${s.task}`,
    `--cells ${s.cell}`,
    `--lengths ${s.T}`,
    `--seeds ${s.seed}`,
    `--hidden ${s.H}`,
    `--batch ${s.batch}`,
    `--lr ${s.lr}`,
    ...(s.layers !== 1 ? [`--layers ${s.layers}`] : []),
    `--steps ${s.steps ?? "N"}`,
    // Evaluation does not touch the training stream: any interval gives the same losses.
    `--eval-every ${Math.min(s.every, s.steps ?? s.every)}`,
    `--test-size ${TEST_SIZE}`,
    `--backend ${backend}`,
  ].join(" ");
}
