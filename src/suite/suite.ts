/**
 * Suites: experiments as data. A suite file (`suites/*.json`) names tasks, cells, lengths,
 * seeds and the training settings; `expandGrid` turns it into one {@link RunConfig} per
 * task × cell × T × seed, each with a content hash that is the run's identity.
 *
 * A suite has top-level defaults and, optionally, `experiments`: a list of partial settings,
 * each merged over the defaults (how the `paper` suite gives each published setting its own
 * lengths, steps and source). Without `experiments` the top level is the one experiment. Step
 * budgets that depend on the length are one experiment per length group, each with its `steps`
 * (and `probeAt: "end"` then resolves against that experiment's budget).
 *
 * A run counts as solved by the thresholds `solved` (adding: test MSE ≤ `solved.mse`; copy:
 * recall accuracy ≥ `solved.accuracy`; defaults 0.01 and 0.99). `stopWhenSolved: { patience }`
 * ends a run `patience` evaluations after the evaluation that solved it; a suite that asks for it
 * must state the thresholds it stops on (`solved.mse` for adding, `solved.accuracy` for copy).
 *
 * An experiment with `search` (see `search.ts`) asks instead for each cell × task × seed's longest
 * T solved: its ladder rungs are the grid's runs (every one an ordinary run config, its steps from
 * the search's budget rule), grouped into the grid's `chains`, which training climbs rung by rung.
 *
 * @example
 * ```ts
 * import { expandGrid, loadSuite } from "./suite.ts";
 * const suite = await loadSuite("quick");
 * const grid = await expandGrid(suite, { lengths: [20] });
 * console.log(grid.runs.length, grid.gridHash);
 * ```
 *
 * @module
 */
import { join } from "node:path";
import { fileURLToPath as fromFileUrl } from "node:url";
import { isCellName, type OptimizerName, OPTIMIZERS } from "../engine/mod.ts";
import {
  canonicalJson,
  configHash,
  contentHash,
  type RunConfig,
  type StopWhenSolved,
} from "../results/schema.ts";
import { cellGates, memoryProblem } from "./memory.ts";
import { budgetRuleText, budgetSteps, parseSearch, type SearchSpec } from "./search.ts";

/** The suites shipped with the project (`--suite NAME`). */
export const BUILTIN_SUITES = ["quick", "tour", "standard", "paper", "horizon"] as const;

/** Settings an experiment may set (all optional in the file; defaults below). */
export interface ExperimentSettings {
  tasks: ("adding" | "copy")[];
  cells: string[];
  lengths: number[];
  seeds: number[];
  hidden: number;
  batch: number;
  steps: number;
  optimizer: RunConfig["optimizer"];
  clipNorm: number | null;
  alpha: number;
  evalEvery: number;
  testSize: number;
  /** Steps at which to probe; the strings `init`, `middle`, `end` resolve against `steps`. */
  probeAt: (number | "init" | "middle" | "end")[];
  solved: RunConfig["solved"];
  /** End a run this many evaluations after it is solved (null: train the whole budget). */
  stopWhenSolved: StopWhenSolved | null;
  /** Stacked recurrent layers, 1–8. */
  layers: number;
  variant: "arjovsky" | "tcn";
  symbols: number;
  /**
   * A memory-horizon search in place of the grid's lengths and steps (null: a grid). See
   * `search.ts`: per cell × task × seed, a chain of lengths with a budget rule.
   */
  search: SearchSpec | null;
  /** Where the setting comes from (a paper and table), carried into the report. */
  source?: string;
}

/** A published number the report marks next to ours (paper suite). */
export interface Reference {
  task: "adding" | "copy";
  T: number;
  cell: string;
  metric: "test_mse" | "test_accuracy" | "test_loss";
  value: number;
  source: string;
}

/** A validated suite. */
export interface Suite {
  name: string;
  description: string;
  /** Where it was loaded from. */
  path: string;
  experiments: ExperimentSettings[];
  references: Reference[];
}

/** CLI overrides; any field replaces that field in every experiment (`tasks` filters them). */
export interface SuiteOverrides {
  tasks?: ("adding" | "copy")[];
  cells?: string[];
  lengths?: number[];
  seeds?: number[];
  steps?: number;
  hidden?: number;
  batch?: number;
  testSize?: number;
  evalEvery?: number;
  lr?: number;
  /** Stacked recurrent layers, 1–8. */
  layers?: number;
  backend?: string;
}

/** A suite file that cannot be used; the message names the file and the field. */
export class SuiteError extends Error {
  override name = "SuiteError";
}

const DEFAULTS: ExperimentSettings = {
  tasks: ["adding"],
  cells: ["rnn_tanh", "lstm"],
  lengths: [50],
  seeds: [1],
  hidden: 128,
  batch: 64,
  steps: 1000,
  optimizer: { name: "adam", lr: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
  clipNorm: 1.0,
  alpha: 0.01,
  evalEvery: 100,
  testSize: 1000,
  probeAt: ["init", "middle", "end"],
  // adding: MSE ≤ 0.01 (≈6% of the 1/6 baseline); copy: recall accuracy ≥ 0.99.
  solved: { mse: 0.01, accuracy: 0.99 },
  stopWhenSolved: null,
  layers: 1,
  variant: "arjovsky",
  symbols: 10,
  search: null,
};

const KNOWN_TOP = new Set([
  "name",
  "description",
  "experiments",
  "references",
  "$comment",
  ...Object.keys(DEFAULTS),
  "source",
]);

type Obj = Record<string, unknown>;

/** The most stacked layers a run may have. */
export const MAX_LAYERS = 8;

/** The threshold a task is solved by (`solved.mse` or `solved.accuracy`). */
const THRESHOLD_OF = { adding: "mse", copy: "accuracy" } as const;

/** Finds a suite by built-in name or path and validates it. */
export async function loadSuite(nameOrPath: string): Promise<Suite> {
  const builtin = (BUILTIN_SUITES as readonly string[]).includes(nameOrPath);
  const path = builtin
    ? fromFileUrl(new URL(`../../suites/${nameOrPath}.json`, import.meta.url))
    : nameOrPath;
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new SuiteError(
        `suite '${nameOrPath}' not found (built-in: ${
          BUILTIN_SUITES.join(", ")
        }; or a path to a .json file)`,
      );
    }
    throw new SuiteError(`cannot read suite ${path}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new SuiteError(`${path}: not valid JSON (${(e as Error).message})`);
  }
  return validateSuite(json, path);
}

/** Validates a parsed suite file. Throws {@link SuiteError} naming the file and field. */
export function validateSuite(json: unknown, path: string): Suite {
  const fail = (field: string, what: string): never => {
    throw new SuiteError(`${path}: '${field}' ${what}`);
  };
  if (!isObj(json)) fail("(top level)", "must be a JSON object");
  const top = json as Obj;
  for (const k of Object.keys(top)) {
    if (!KNOWN_TOP.has(k)) {
      fail(
        k,
        `is not a suite field (known: ${
          [...KNOWN_TOP].filter((f) => f !== "$comment").join(", ")
        })`,
      );
    }
  }
  const name = top.name ?? path.split("/").pop()?.replace(/\.json$/, "");
  if (typeof name !== "string" || !/^[A-Za-z0-9._-]+$/.test(name)) {
    fail("name", "must be a string of letters, digits, '.', '_' or '-'");
  }
  const base = settings(top, DEFAULTS, "", fail);
  let experiments: ExperimentSettings[] = [base];
  if (top.experiments !== undefined) {
    if (!Array.isArray(top.experiments) || top.experiments.length === 0) {
      fail("experiments", "must be a non-empty array");
    }
    experiments = (top.experiments as unknown[]).map((e, i) => {
      if (!isObj(e)) fail(`experiments[${i}]`, "must be an object");
      for (const k of Object.keys(e as Obj)) {
        if (!(k in DEFAULTS) && k !== "source" && k !== "$comment") {
          fail(`experiments[${i}].${k}`, "is not an experiment field");
        }
      }
      return settings(e as Obj, base, `experiments[${i}].`, fail);
    });
  }
  // Early stopping needs thresholds the suite states, never silent defaults.
  const raw = top.experiments === undefined ? [{}] : top.experiments as Obj[];
  experiments.forEach((e, i) => {
    if (!e.stopWhenSolved) return;
    const stated = new Set([
      ...Object.keys(isObj(top.solved) ? top.solved : {}),
      ...Object.keys(isObj(raw[i].solved) ? raw[i].solved as Obj : {}),
    ]);
    const missing = e.tasks.filter((t) => !stated.has(THRESHOLD_OF[t]));
    if (missing.length) {
      const where = top.experiments === undefined ? "" : `experiments[${i}].`;
      fail(
        `${where}stopWhenSolved`,
        `needs the thresholds it stops on stated in the suite: ${
          missing.map((t) => `'solved.${THRESHOLD_OF[t]}' (${t})`).join(" and ")
        }`,
      );
    }
  });
  const references: Reference[] = [];
  if (top.references !== undefined) {
    if (!Array.isArray(top.references)) fail("references", "must be an array");
    (top.references as unknown[]).forEach((r, i) => {
      const f = `references[${i}]`;
      if (!isObj(r)) fail(f, "must be an object");
      const o = r as Obj;
      if (o.task !== "adding" && o.task !== "copy") fail(`${f}.task`, "must be 'adding' or 'copy'");
      if (!isPosInt(o.T)) fail(`${f}.T`, "must be a whole number ≥ 1");
      if (typeof o.cell !== "string") fail(`${f}.cell`, "must be a string");
      if (!["test_mse", "test_accuracy", "test_loss"].includes(o.metric as string)) {
        fail(`${f}.metric`, "must be test_mse, test_accuracy or test_loss");
      }
      if (typeof o.value !== "number" || !Number.isFinite(o.value)) {
        fail(`${f}.value`, "must be a number");
      }
      if (typeof o.source !== "string" || o.source === "") {
        fail(`${f}.source`, "must cite a source");
      }
      references.push(o as unknown as Reference);
    });
  }
  return {
    name: name as string,
    description: typeof top.description === "string" ? top.description : "",
    path,
    experiments,
    references,
  };
}

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isPosInt(v: unknown, min = 1): v is number {
  return typeof v === "number" && Number.isSafeInteger(v) && v >= min;
}

function settings(
  o: Obj,
  base: ExperimentSettings,
  prefix: string,
  fail: (field: string, what: string) => never,
): ExperimentSettings {
  const s: ExperimentSettings = structuredClone(base);
  delete s.source;
  const f = (k: string) => prefix + k;
  if (o.tasks !== undefined) {
    if (
      !Array.isArray(o.tasks) || o.tasks.length === 0 ||
      !o.tasks.every((t) => t === "adding" || t === "copy")
    ) {
      fail(f("tasks"), "must be a non-empty list of 'adding' and/or 'copy'");
    }
    s.tasks = o.tasks as ExperimentSettings["tasks"];
  }
  if (o.cells !== undefined) {
    if (!Array.isArray(o.cells) || o.cells.length === 0) {
      fail(f("cells"), "must be a non-empty list");
    }
    for (const c of o.cells as unknown[]) {
      if (typeof c !== "string" || !isCellName(c)) {
        fail(f("cells"), `has an unknown cell ${JSON.stringify(c)}`);
      }
    }
    s.cells = o.cells as string[];
  }
  for (const k of ["lengths", "seeds"] as const) {
    if (o[k] === undefined) continue;
    const min = k === "lengths" ? 1 : 0;
    const v = o[k];
    if (!Array.isArray(v) || v.length === 0 || !v.every((x) => isPosInt(x, min))) {
      fail(f(k), `must be a non-empty list of whole numbers ≥ ${min}`);
    }
    s[k] = v as number[];
  }
  for (const k of ["hidden", "batch", "steps", "evalEvery", "testSize", "symbols"] as const) {
    if (o[k] === undefined) continue;
    if (!isPosInt(o[k])) fail(f(k), "must be a whole number ≥ 1");
    s[k] = o[k] as number;
  }
  if (o.layers !== undefined) {
    if (!isPosInt(o.layers) || (o.layers as number) > MAX_LAYERS) {
      fail(f("layers"), `must be a whole number from 1 to ${MAX_LAYERS}`);
    }
    s.layers = o.layers as number;
  }
  if (o.stopWhenSolved !== undefined) {
    const sw = o.stopWhenSolved;
    if (sw === null) s.stopWhenSolved = null;
    else {
      if (!isObj(sw) || Object.keys(sw).some((k) => k !== "patience") || !isPosInt(sw.patience)) {
        fail(
          f("stopWhenSolved"),
          'must be null or { "patience": N } with N a whole number ≥ 1 (evaluations after the solving one)',
        );
      }
      s.stopWhenSolved = { patience: (sw as Obj).patience as number };
    }
  }
  if (o.alpha !== undefined) {
    if (typeof o.alpha !== "number" || !(o.alpha >= 0 && o.alpha < 1)) {
      fail(f("alpha"), "must be a number in [0, 1)");
    }
    s.alpha = o.alpha as number;
  }
  if (o.clipNorm !== undefined) {
    if (o.clipNorm !== null && !(typeof o.clipNorm === "number" && o.clipNorm > 0)) {
      fail(f("clipNorm"), "must be a positive number or null");
    }
    s.clipNorm = o.clipNorm as number | null;
  }
  if (o.variant !== undefined) {
    if (o.variant !== "arjovsky" && o.variant !== "tcn") {
      fail(f("variant"), "must be 'arjovsky' or 'tcn'");
    }
    s.variant = o.variant as "arjovsky" | "tcn";
  }
  if (o.optimizer !== undefined) {
    if (!isObj(o.optimizer)) fail(f("optimizer"), "must be an object");
    const opt = o.optimizer as Obj;
    if (opt.name !== undefined) {
      if (!OPTIMIZERS.includes(opt.name as OptimizerName)) {
        fail(f("optimizer.name"), `must be one of ${OPTIMIZERS.map((n) => `'${n}'`).join(", ")}`);
      }
      s.optimizer.name = opt.name as OptimizerName;
    }
    for (const k of ["lr", "beta1", "beta2", "epsilon", "rho"] as const) {
      if (opt[k] === undefined) continue;
      const v = opt[k];
      const unit = k === "beta1" || k === "beta2" || k === "rho";
      if (typeof v !== "number" || !(v > 0) || (unit && v >= 1)) {
        fail(f(`optimizer.${k}`), unit ? "must be in (0, 1)" : "must be a positive number");
      }
      s.optimizer[k] = v as number;
    }
    if (s.optimizer.name === "rmsprop") s.optimizer.rho ??= 0.99;
    else if (s.optimizer.rho !== undefined) fail(f("optimizer.rho"), "is an rmsprop setting");
    if (opt.groups !== undefined) {
      const groups = opt.groups;
      if (!Array.isArray(groups)) fail(f("optimizer.groups"), "must be an array");
      s.optimizer.groups = (groups as unknown[]).map((g, i) => {
        const at = f(`optimizer.groups[${i}]`);
        if (!isObj(g)) fail(at, "must be an object { params, lr }");
        const { params, lr } = g as Obj;
        if (
          !Array.isArray(params) || params.length === 0 ||
          !params.every((n) => typeof n === "string" && n !== "")
        ) fail(`${at}.params`, 'must be a non-empty array of parameter names (e.g. ["A"])');
        if (typeof lr !== "number" || !(lr > 0)) fail(`${at}.lr`, "must be a positive number");
        return { params: [...params as string[]], lr: lr as number };
      });
    }
  }
  if (o.solved !== undefined) {
    if (!isObj(o.solved)) fail(f("solved"), "must be an object");
    const sv = o.solved as Obj;
    if (sv.mse !== undefined) {
      if (typeof sv.mse !== "number" || !(sv.mse > 0)) {
        fail(f("solved.mse"), "must be a positive number");
      }
      s.solved.mse = sv.mse as number;
    }
    if (sv.accuracy !== undefined) {
      if (typeof sv.accuracy !== "number" || !(sv.accuracy > 0 && sv.accuracy <= 1)) {
        fail(f("solved.accuracy"), "must be in (0, 1]");
      }
      s.solved.accuracy = sv.accuracy as number;
    }
  }
  if (o.probeAt !== undefined) {
    if (
      !Array.isArray(o.probeAt) || o.probeAt.length === 0 ||
      !o.probeAt.every((p) => p === "init" || p === "middle" || p === "end" || isPosInt(p, 0))
    ) {
      fail(f("probeAt"), "must be a non-empty list of steps or 'init', 'middle', 'end'");
    }
    s.probeAt = o.probeAt as ExperimentSettings["probeAt"];
  }
  if (o.search !== undefined) {
    if (o.search === null) s.search = null;
    else {
      for (const k of ["lengths", "steps"] as const) {
        if (o[k] !== undefined) {
          fail(f(k), `cannot be set beside 'search' (the search's ${k} replace it)`);
        }
      }
      s.search = parseSearch(o.search, f("search"), fail);
    }
  } else if (s.search) {
    for (const k of ["lengths", "steps"] as const) {
      if (o[k] !== undefined) {
        fail(f(k), `cannot be set under a 'search' (set "search": null here for a grid)`);
      }
    }
  }
  if (o.source !== undefined) {
    if (typeof o.source !== "string") fail(f("source"), "must be a string");
    s.source = o.source as string;
  }
  return s;
}

/** Probe steps as numbers: `init` → 0, `middle` → steps/2, `end` → steps; sorted, unique. */
export function resolveProbeSteps(probeAt: ExperimentSettings["probeAt"], steps: number): number[] {
  const out = probeAt.map((p) =>
    p === "init"
      ? 0
      : p === "middle"
      ? Math.floor(steps / 2)
      : p === "end"
      ? steps
      : Math.min(p, steps)
  );
  return [...new Set(out)].sort((a, b) => a - b);
}

/** One run of the grid. */
export interface GridRun {
  config: RunConfig;
  hash: string;
  /** Where the setting comes from, if the suite says. */
  source?: string;
}

/**
 * One chain of a memory-horizon search: one cell × task × seed (and its settings) climbing a
 * ladder of lengths. A plain run of a suite that also searches is a chain of one rung.
 */
export interface Chain {
  /** `task cell seed=…`: what the chain searches (a plain run's label keeps its `T=…`). */
  label: string;
  /** The ladder's runs, shortest first (every one an ordinary run of the grid). */
  ladder: GridRun[];
  /** Bisection rungs after the first failure. */
  bisect: number;
  /** The budget rule in words (null: a plain run). */
  budget: string | null;
  /** The run of this chain at length T (a ladder rung or a bisection rung). */
  rung(T: number): Promise<GridRun>;
}

/** The expanded grid of a suite. */
export interface Grid {
  suite: string;
  /**
   * The runs, in grid order. For a suite that searches: every ladder rung (what a search trains
   * at most, bisection aside), chain by chain.
   */
  runs: GridRun[];
  /**
   * Present when the suite searches: its chains (every run of `runs` in exactly one), trained
   * rung by rung and sharded chain by chain.
   */
  chains?: Chain[];
  /** Hash of the ordered list of run hashes (and of the chains): the suite run's identity. */
  gridHash: string;
}

/** Expands a suite (with CLI overrides) into its runs: task × cell × T × seed per experiment. */
export async function expandGrid(suite: Suite, ov: SuiteOverrides = {}): Promise<Grid> {
  const runs: GridRun[] = [];
  const chains: Chain[] = [];
  const seen = new Set<string>();
  const searches = suite.experiments.some((e) => e.search !== null);
  for (const e0 of suite.experiments) {
    const e: ExperimentSettings = structuredClone(e0);
    // --task filters: an experiment keeps only the tasks asked for (its lengths are per task).
    if (ov.tasks) e.tasks = e.tasks.filter((t) => ov.tasks!.includes(t));
    if (e.tasks.length === 0) continue;
    if (ov.cells) e.cells = ov.cells;
    if (ov.lengths) {
      if (e.search) e.search.lengths = [...new Set(ov.lengths)].sort((a, b) => a - b);
      else e.lengths = ov.lengths;
    }
    if (ov.seeds) e.seeds = ov.seeds;
    if (ov.steps !== undefined) {
      if (e.search) e.search.steps = { perT: 0, min: ov.steps, max: ov.steps };
      else e.steps = ov.steps;
    }
    if (ov.hidden !== undefined) e.hidden = ov.hidden;
    if (ov.batch !== undefined) e.batch = ov.batch;
    if (ov.testSize !== undefined) e.testSize = ov.testSize;
    if (ov.evalEvery !== undefined) e.evalEvery = ov.evalEvery;
    if (ov.lr !== undefined) e.optimizer.lr = ov.lr;
    if (ov.layers !== undefined) e.layers = ov.layers;
    const minSteps = e.search ? e.search.steps.min : e.steps;
    if (minSteps < e.evalEvery) {
      throw new SuiteError(
        `${suite.path}: a step budget of ${minSteps} is below the evaluation interval ` +
          `(evalEvery ${e.evalEvery}): the run would never be evaluated before its end; ` +
          `lower evalEvery (--eval-every) or raise steps`,
      );
    }
    const make = async (
      task: "adding" | "copy",
      cell: string,
      T: number,
      seed: number,
    ): Promise<GridRun> => {
      if (task === "adding" && T < 2) {
        throw new SuiteError(`${suite.path}: the adding problem needs T ≥ 2, got ${T}`);
      }
      const config = runConfig(e, task, cell, T, seed, ov.backend ?? "auto");
      const tooBig = memoryProblem(config);
      if (tooBig) throw new SuiteError(`${suite.path}: ${tooBig}`);
      return {
        config,
        hash: await configHash(config),
        ...(e.source ? { source: e.source } : {}),
      };
    };
    for (const task of e.tasks) {
      if (e.search) {
        for (const cell of e.cells) {
          for (const seed of e.seeds) {
            const ladder: GridRun[] = [];
            for (const T of e.search.lengths) ladder.push(await make(task, cell, T, seed));
            if (ladder.some((r) => seen.has(r.hash))) {
              throw new SuiteError(
                `${suite.path}: two chains share a run (${runLabel(ladder[0].config)}): ` +
                  `a search's experiments must not overlap`,
              );
            }
            for (const r of ladder) seen.add(r.hash);
            runs.push(...ladder);
            chains.push({
              label: runLabel(ladder[0].config).replace(/ T=\d+/, ""),
              ladder,
              bisect: e.search.bisect,
              budget: budgetRuleText(e.search.steps),
              rung: (T) => make(task, cell, T, seed),
            });
          }
        }
        continue;
      }
      for (const T of e.lengths) {
        for (const cell of e.cells) {
          for (const seed of e.seeds) {
            const run = await make(task, cell, T, seed);
            if (seen.has(run.hash)) continue; // experiments may overlap; a run is a run
            seen.add(run.hash);
            runs.push(run);
            if (searches) {
              chains.push({
                label: runLabel(run.config),
                ladder: [run],
                bisect: 0,
                budget: null,
                rung: () => Promise.resolve(run),
              });
            }
          }
        }
      }
    }
  }
  if (runs.length === 0) {
    throw new SuiteError(
      `${suite.path}: no runs left after the overrides (tasks: ${ov.tasks?.join(", ")})`,
    );
  }
  const hashes = runs.map((r) => r.hash);
  // A grid's identity is its runs; a search's also its chains (which runs depend on which).
  const gridHash = searches
    ? await contentHash({
      suite: suite.name,
      runs: hashes,
      chains: chains.map((c) => ({ rungs: c.ladder.map((r) => r.hash), bisect: c.bisect })),
    })
    : await contentHash({ suite: suite.name, runs: hashes });
  return { suite: suite.name, runs, ...(searches ? { chains } : {}), gridHash };
}

/** The run config of one task × cell × T × seed of an experiment (steps from its search). */
function runConfig(
  e: ExperimentSettings,
  task: "adding" | "copy",
  cell: string,
  T: number,
  seed: number,
  backend: string,
): RunConfig {
  const steps = e.search ? budgetSteps(e.search.steps, T) : e.steps;
  return {
    task,
    ...(task === "adding" ? { variant: e.variant } : { symbols: e.symbols }),
    cell,
    T,
    seed,
    hidden: e.hidden,
    batch: e.batch,
    steps,
    optimizer: { ...e.optimizer },
    clipNorm: e.clipNorm,
    alpha: e.alpha,
    evalEvery: e.evalEvery,
    testSize: e.testSize,
    probeAt: resolveProbeSteps(e.probeAt, steps),
    solved: { ...e.solved },
    // Only when set, so configs without them keep the hashes they always had.
    ...(e.stopWhenSolved ? { stopWhenSolved: { ...e.stopWhenSolved } } : {}),
    ...(e.layers !== 1 ? { layers: e.layers } : {}),
    backend,
  };
}

/** Relative cost of one time step of a cell (its gate count; attention adds a little). */
export function cellCost(cell: string): number {
  return cellGates(cell) * (cell.endsWith("+attn") ? 1.15 : 1);
}

/**
 * Estimated cost units of a run: T × steps × cell cost × layers (used for ETA and shard
 * balancing). An upper bound for runs that may stop early when solved.
 */
export function runCost(c: RunConfig): number {
  const len = c.task === "copy" ? c.T + 2 * (c.symbols ?? 10) : c.T;
  return len * c.steps * cellCost(c.cell) * (c.layers ?? 1) * (c.batch / 64) *
    Math.max(1, c.hidden / 128);
}

/** A readable one-line label of a run. */
export function runLabel(c: RunConfig): string {
  const layers = (c.layers ?? 1) > 1 ? ` ×${c.layers}` : "";
  return `${c.task} ${c.cell}${layers} T=${c.T} seed=${c.seed}`;
}

/** For tests and --dry-run: the canonical JSON of a grid's configs. */
export function gridJson(grid: Grid): string {
  return canonicalJson(grid.runs.map((r) => r.config));
}

/** Where the suites live. */
export const SUITES_DIR = fromFileUrl(new URL("../../suites/", import.meta.url));
export const suitePath = (name: string) => join(SUITES_DIR, `${name}.json`);
