/**
 * `deno task playground`: writes `playground.html` (train a cell in the browser and watch its
 * gradient decay live; self-contained, works from `file://`) into a folder, `reports/site/` by
 * default. `deno task report` writes it too, beside `index.html`.
 *
 * @module
 */
import { helpText, parseFlags, runCli, UsageError } from "../src/cli/args.ts";
import { readLibraries } from "../src/report/mod.ts";
import { buildPlayground } from "../src/playground/build.ts";

const FLAGS = {
  out: { type: "string", arg: "DIR", default: "reports/site", description: "output folder" },
  help: { type: "boolean", short: "h", description: "show this help" },
} as const;

const HELP = helpText(
  "deno task playground [--out DIR]",
  "Builds DIR/playground.html: pick a cell, a length and the training settings, press train,\n" +
    "and watch ‖dL/dh_t‖ against distance as the network learns, in the browser (offline,\n" +
    "from file://). Every control is a URL parameter, e.g. playground.html?cell=rnn_tanh&T=40&autorun=1",
  FLAGS,
);

async function main(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, FLAGS);
  const out = values.out;
  if (typeof out !== "string" || out.trim() === "") throw new UsageError("--out needs a value");
  const kind = await Deno.stat(out).then((s) => s.isDirectory ? "dir" : "other", () => "absent");
  if (kind === "other") throw new UsageError(`--out ${out} exists and is not a folder`);
  const started = performance.now();
  const built = await buildPlayground(out, await readLibraries());
  console.log(
    `Playground: ${built.path} (${(built.bytes / 1024 / 1024).toFixed(2)} MB, built in ${
      ((performance.now() - started) / 1000).toFixed(1)
    } s)`,
  );
  return 0;
}

if (import.meta.main) await runCli("playground", HELP, main);
