/**
 * The line under the playground's charts: what the numbers show, in words, e.g. "The gradient
 * 39 steps back is 10⁻⁹ of the last step's: the rnn_tanh cannot learn a dependency this long".
 *
 * The thresholds follow the argument of Bengio, Simard & Frasconi (1994) and Pascanu, Mikolov &
 * Bengio (2013): a dependency d steps back reaches the weights only through ∏ ∂h_{t+1}/∂h_t, so
 * when ‖dL/dh_t‖ has shrunk by many orders of magnitude the long-range term is drowned by the
 * short-range ones (vanishing), and when it grows without bound steps blow up (exploding).
 *
 * @module
 */

/** What the finding is computed from (the page's latest numbers). */
export interface FindingInput {
  cell: string;
  task: "adding" | "copy";
  /** The training step of `norms`. */
  step: number;
  /** ‖dL/dh_t‖ for t = 0 … len−1, now. */
  norms: number[];
  /** The same at initialisation (step 0), if known. */
  initNorms?: number[];
  /** The latest training loss. */
  trainLoss?: number | null;
  /** The memoryless baseline's loss (adding: 1/6; copy: S·ln 8 / (T + 2S)). */
  baseline: number;
  /** Latest test metrics: adding MSE, copy recall accuracy. */
  test?: { mse: number | null; accuracy: number } | null;
  /** Whether gradient clipping is on. */
  clipping: boolean;
}

const SUPERSCRIPT: Record<string, string> = {
  "-": "⁻",
  "0": "⁰",
  "1": "¹",
  "2": "²",
  "3": "³",
  "4": "⁴",
  "5": "⁵",
  "6": "⁶",
  "7": "⁷",
  "8": "⁸",
  "9": "⁹",
};

/** `10⁻⁹` for 1.2e-9; plain digits (`0.43`) between 10⁻² and 10²; `0` for zero. */
export function magnitude(x: number): string {
  if (x === 0) return "0";
  if (!Number.isFinite(x)) return String(x);
  if (x >= 1e-2 && x <= 1e2) return String(Number(x.toPrecision(2)));
  const e = String(Math.round(Math.log10(x)));
  return "10" + [...e].map((c) => SUPERSCRIPT[c]).join("");
}

/** A loss or metric with 3 significant digits. */
function num(x: number): string {
  return Math.abs(x) < 1e-3 && x !== 0 ? x.toExponential(1) : String(Number(x.toPrecision(3)));
}

/** ‖dL/dh_0‖ / ‖dL/dh_{len−1}‖, or null when the last step's norm is 0 or not finite. */
export function endToEndRatio(norms: number[]): number | null {
  const last = norms[norms.length - 1];
  if (norms.length < 2 || !(last > 0) || !Number.isFinite(last)) return null;
  return norms[0] / last;
}

/** What a ratio over `d` steps means for learning a dependency that long. */
function verdict(r: number, cell: string, clipping: boolean): string {
  if (r === 0) {
    return `it underflowed float32: the ${cell} cannot learn a dependency this long`;
  }
  if (r < 1e-6) return `the ${cell} cannot learn a dependency this long`;
  if (r < 1e-3) return `a weak signal: the ${cell} learns this dependency slowly, if at all`;
  if (r <= 1e2) return `the signal reaches the first step, so the dependency is learnable`;
  return `the gradient explodes backwards${
    clipping ? "; clipping keeps each update bounded" : "; turn clipping on"
  }`;
}

/**
 * Clearly better than memoryless: test MSE under half the baseline (adding) or recall well above
 * chance, 1/8 (copy); the training loss under half the baseline when there is no evaluation.
 * Small gains do not count: on the adding problem a net that only tracks the nearer marker
 * already gets a little below 1/6.
 */
function learning(f: FindingInput, loss: number): boolean {
  if (!f.test) return loss < 0.5 * f.baseline;
  return f.task === "adding"
    ? f.test.mse !== null && f.test.mse < 0.5 * f.baseline
    : f.test.accuracy > 0.3;
}

/** The finding in one or two sentences (plain text). */
export function findingText(f: FindingInput): string {
  const d = f.norms.length - 1;
  const r = endToEndRatio(f.norms);
  const parts: string[] = [];
  if (r === null) {
    parts.push(
      `The gradient at the last step is ${
        f.norms.length ? f.norms[d] : "missing"
      }, so its decay cannot be measured.`,
    );
  } else {
    const r0 = f.initNorms && f.step > 0 ? endToEndRatio(f.initNorms) : null;
    const was = r0 === null ? "" : ` (${magnitude(r0)} at initialisation)`;
    parts.push(
      `The gradient ${d} steps back is ${magnitude(r)} of the last step's${was}: ${
        verdict(r, f.cell, f.clipping)
      }.`,
    );
  }
  const loss = f.trainLoss;
  if (loss !== undefined && loss !== null && Number.isFinite(loss) && f.step > 0) {
    const solved = f.test
      ? (f.task === "adding" ? f.test.mse !== null && f.test.mse <= 0.01 : f.test.accuracy >= 0.99)
      : false;
    const metric = !f.test
      ? ""
      : f.task === "adding"
      ? `, test MSE ${num(f.test.mse ?? NaN)}`
      : `, recall accuracy ${num(f.test.accuracy)}`;
    const judged = solved
      ? "solved"
      : learning(f, loss)
      ? "well below the baseline: it is learning"
      : f.task === "adding"
      ? "near the baseline: the long dependency is not learned yet"
      : "near chance: the symbols are not recalled yet";
    parts.push(
      `After ${f.step} steps the training loss is ${num(loss)} against the memoryless ` +
        `baseline's ${num(f.baseline)}${metric}: ${judged}.`,
    );
  }
  return parts.join(" ");
}
