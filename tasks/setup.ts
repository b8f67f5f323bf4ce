/**
 * `deno task setup`: provisions the TensorFlow backend of tfjs-node. Idempotent; a provisioned
 * machine returns in well under a second. Says loudly which route it took.
 *
 * Routes, in `auto` order: an existing libtensorflow folder (`--libtensorflow DIR` or
 * `$RNN_GRADBENCH_LIBTENSORFLOW`); tfjs-node's official download; the TensorFlow CPU wheel from
 * PyPI (offline-friendly: pip plus node-gyp). See src/setup/provision.ts.
 *
 * @module
 */
import { helpText, parseChoice, parseFlags, runCli, UsageError } from "../src/cli/args.ts";
import {
  buildBinding,
  cleanPackage,
  probeBackend,
  provisionWheel,
  readStamp,
  type Route,
  setupPaths,
  TF_WHEEL_VERSION,
  tryOfficial,
  writeStamp,
} from "../src/setup/provision.ts";

const FLAGS = {
  route: {
    type: "string",
    arg: "auto|official|wheel|dir",
    default: "auto",
    description:
      `how to get libtensorflow (wheel: tensorflow-cpu ${TF_WHEEL_VERSION}, the measured one, which the workflow, the Kubernetes image and the Slurm script pin)`,
  },
  libtensorflow: {
    type: "string",
    arg: "DIR",
    description: "use an existing libtensorflow folder (lib/ + include/); implies --route dir",
  },
  force: { type: "boolean", description: "rebuild even if the backend is already provisioned" },
  check: { type: "boolean", description: "also load the backend in a child process to verify it" },
  strict: {
    type: "boolean",
    description: "exit 1 when no route works (default under CI=true); otherwise warn and exit 0",
  },
} as const;

const HELP = helpText(
  "deno task setup [--route auto|official|wheel|dir] [--libtensorflow DIR] [--force] [--check]",
  "Provision TensorFlow's C library for @tensorflow/tfjs-node and build its binding.\n" +
    `The offline route uses the tensorflow-cpu ${TF_WHEEL_VERSION} wheel, cached in ~/.cache/rnn-gradbench ` +
    "($RNN_GRADBENCH_CACHE).",
  FLAGS,
);

async function main(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, FLAGS);
  const dirFlag = (values.libtensorflow as string | undefined) ??
    Deno.env.get("RNN_GRADBENCH_LIBTENSORFLOW");
  let route = parseChoice("route", values.route as string, ["auto", "official", "wheel", "dir"]);
  if (dirFlag && route === "auto") route = "dir";
  if (route === "dir" && !dirFlag) {
    throw new UsageError("--route dir needs --libtensorflow DIR");
  }
  if (dirFlag) {
    try {
      if (!Deno.statSync(dirFlag).isDirectory) throw new Error();
    } catch {
      throw new UsageError(`--libtensorflow: '${dirFlag}' is not a folder`);
    }
  }
  const strict = values.strict === true || Deno.env.get("CI") === "true";
  const log = (l: string) => console.error(`setup: ${l}`);
  const paths = setupPaths();

  const stamp = values.force ? null : readStamp(paths);
  // `--route wheel` pins the TensorFlow every published number was measured with: the wheel of
  // TF_WHEEL_VERSION. A stamp of another route, or of another wheel, is rebuilt.
  const pinned = route !== "wheel" || stamp?.tensorflowVersion === TF_WHEEL_VERSION;
  if (stamp && (route === "auto" || route === stamp.route) && pinned) {
    if (values.check) await probeBackend();
    log(`tensorflow backend ready (TensorFlow ${stamp.tensorflowVersion}, route: ${stamp.route})`);
    return 0;
  }

  const tried: string[] = [];
  const attempt = async (r: Route, run: () => Promise<string>): Promise<boolean> => {
    try {
      const libDir = await run();
      const version = await probeBackend();
      await writeStamp(paths, {
        route: r,
        tensorflowVersion: version,
        libDir,
        bindingPath: paths.binding,
        date: new Date().toISOString(),
      });
      log(`tensorflow backend ready (TensorFlow ${version}, route: ${r}, library: ${libDir})`);
      return true;
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      tried.push(`${r}: ${msg}`);
      log(`route ${r} failed: ${msg}`);
      return false;
    }
  };

  if (route === "dir") {
    if (await attempt("dir", async () => (await buildBinding(paths, dirFlag!, log), dirFlag!))) {
      return 0;
    }
  }
  if (route === "auto" || route === "official") {
    const ok = await attempt("official", async () => {
      if (!(await tryOfficial(paths, log))) throw new Error("download unavailable");
      return `${paths.pkgDir}/deps`;
    });
    if (ok) return 0;
    await cleanPackage(paths);
  }
  if (route === "auto" || route === "wheel") {
    const ok = await attempt("wheel", async () => {
      const dir = await provisionWheel(paths, log);
      await buildBinding(paths, dir, log);
      return dir;
    });
    if (ok) return 0;
  }
  const summary = `no route provisioned the tensorflow backend (${tried.join("; ")})`;
  if (strict) {
    console.error(`setup: error: ${summary}`);
    return 1;
  }
  log(`warning: ${summary}. Tasks will fall back to the wasm backend (--backend auto).`);
  return 0;
}

if (import.meta.main) await runCli("setup", HELP, main);
