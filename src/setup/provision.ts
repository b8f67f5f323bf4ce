/**
 * Provisioning TensorFlow's C library for `@tensorflow/tfjs-node` (the `setup` task's library).
 *
 * tfjs-node's install script downloads libtensorflow 2.9.1 and a prebuilt binding from Google's
 * storage. Where that works, it is the first route. Where it cannot (offline build machines), the
 * official TensorFlow CPU wheel from PyPI carries `libtensorflow_cc.so.2`, which exports the whole
 * TF_* / TFE_* C API, plus `include/`: we link tfjs-node's own `binding.gyp` against it (as
 * `libtensorflow.so.2`, with `libtensorflow_framework.so.2`) using node-gyp, which ships with npm.
 * A user can also point at an existing libtensorflow folder (`lib/` + `include/`).
 *
 * The extracted wheel is cached outside the repository, keyed by wheel version, so reruns and
 * fresh clones on the same machine take seconds.
 *
 * @module
 */
import { dirname, join, resolve } from "node:path";
import { fileURLToPath as fromFileUrl } from "node:url";

/** The TensorFlow CPU wheel the offline route uses (its C API is what tfjs-node binds to). */
export const TF_WHEEL_VERSION = "2.21.0";

/** How the backend was provisioned. */
export type Route = "official" | "wheel" | "dir";

/** Written next to the binding once it loads; its presence makes reruns instant. */
export interface SetupStamp {
  route: Route;
  tensorflowVersion: string;
  libDir: string;
  bindingPath: string;
  date: string;
}

/** Where the things setup touches live. */
export interface SetupPaths {
  /** The tfjs-node package folder (real path inside node_modules/.deno). */
  pkgDir: string;
  /** `deps/lib`, `deps/include` as binding.gyp expects. */
  depsLib: string;
  depsInclude: string;
  /** The addon node-pre-gyp's `find()` looks for. */
  binding: string;
  stamp: string;
  /** Cache root outside the repository. */
  cacheDir: string;
}

/** The napi version node-pre-gyp selects under Deno (the highest listed in tfjs-node's package.json). */
export const NAPI_VERSION = 8;

/** Resolves setup's paths. `cacheDir` defaults to `$RNN_GRADBENCH_CACHE` or `~/.cache/rnn-gradbench`. */
export function setupPaths(cacheDir?: string): SetupPaths {
  const entry = fromFileUrl(import.meta.resolve("@tensorflow/tfjs-node"));
  const pkgDir = Deno.realPathSync(resolve(dirname(entry), ".."));
  const home = Deno.env.get("HOME") ?? ".";
  return {
    pkgDir,
    depsLib: join(pkgDir, "deps", "lib"),
    depsInclude: join(pkgDir, "deps", "include"),
    binding: join(pkgDir, "lib", `napi-v${NAPI_VERSION}`, "tfjs_binding.node"),
    stamp: join(pkgDir, "deps", "rnn-gradbench-setup.json"),
    cacheDir: cacheDir ?? Deno.env.get("RNN_GRADBENCH_CACHE") ??
      join(home, ".cache", "rnn-gradbench"),
  };
}

/** Reads the stamp if the binding and the library it points at still exist. */
export function readStamp(paths: SetupPaths): SetupStamp | null {
  try {
    const stamp = JSON.parse(Deno.readTextFileSync(paths.stamp)) as SetupStamp;
    Deno.statSync(paths.binding);
    // deps/lib may hold symlinks into the cache: stat follows them, so a wiped cache fails here.
    Deno.statSync(join(paths.depsLib, "libtensorflow.so.2"));
    return stamp;
  } catch {
    return null;
  }
}

/** Runs a command, returning its exit code and combined output (never throws on non-zero). */
export async function sh(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: Record<string, string>; timeoutMs?: number; echo?: boolean } = {},
): Promise<{ code: number; out: string }> {
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(cmd, {
      args,
      cwd: opts.cwd,
      env: opts.env,
      stdout: "piped",
      stderr: "piped",
      stdin: "null",
    }).spawn();
  } catch (e) {
    return { code: 127, out: e instanceof Error ? e.message : String(e) };
  }
  const timer = opts.timeoutMs
    ? setTimeout(() => {
      try {
        child.kill("SIGKILL");
      } catch { /* already gone */ }
    }, opts.timeoutMs)
    : undefined;
  const { code, stdout, stderr } = await child.output();
  if (timer) clearTimeout(timer);
  const dec = new TextDecoder();
  return { code, out: dec.decode(stdout) + dec.decode(stderr) };
}

/** Removes what a failed or previous route left in the package (deps/, lib/, build/). */
export async function cleanPackage(paths: SetupPaths): Promise<void> {
  for (const d of ["deps", "lib", "build"]) {
    await Deno.remove(join(paths.pkgDir, d), { recursive: true }).catch(() => {});
  }
}

/**
 * Route 1: tfjs-node's own install script (downloads libtensorflow and a prebuilt addon).
 * Needs Node.js and network access to Google's storage; fails fast where DNS has no answer.
 */
export async function tryOfficial(paths: SetupPaths, log: (l: string) => void): Promise<boolean> {
  const node = await sh("node", ["--version"]);
  if (node.code !== 0) {
    log("official route skipped: Node.js is not on PATH");
    return false;
  }
  log("trying tfjs-node's own install (downloads libtensorflow from Google's storage)…");
  const r = await sh("node", ["scripts/install.js"], { cwd: paths.pkgDir, timeoutMs: 180_000 });
  const ok = r.code === 0 && exists(paths.binding) &&
    exists(join(paths.depsLib, "libtensorflow.so.2"));
  if (!ok) {
    const lines = r.out.split("\n").map((l) => l.trim());
    const why = lines.find((l) => /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT/.test(l)) ??
      lines.find((l) => /error|fail/i.test(l));
    log(`official route failed${why ? `: ${why.slice(0, 160)}` : ` (exit ${r.code})`}`);
  }
  return ok;
}

/**
 * `ln -sfn`: Deno.symlink needs unscoped --allow-write, and setup's writes are scoped to
 * node_modules and the cache; a child process is bound by neither.
 */
async function symlink(target: string, path: string): Promise<void> {
  const r = await sh("ln", ["-sfn", target, path]);
  if (r.code !== 0) throw new Error(`ln -s ${target} ${path}: ${lastLine(r.out)}`);
}

function exists(p: string): boolean {
  try {
    Deno.statSync(p);
    return true;
  } catch {
    return false;
  }
}

/** The extracted wheel's folder in the cache (lib/ + include/), keyed by version. */
export function wheelLibDir(paths: SetupPaths, version = TF_WHEEL_VERSION): string {
  return join(paths.cacheDir, `libtensorflow-${version}`);
}

/**
 * Route 2, part 1: download the TensorFlow CPU wheel with pip and extract the two shared
 * libraries and the C API headers into the cache. Idempotent: a complete extract is reused.
 */
export async function provisionWheel(
  paths: SetupPaths,
  log: (l: string) => void,
  version = TF_WHEEL_VERSION,
): Promise<string> {
  const target = wheelLibDir(paths, version);
  if (exists(join(target, ".complete"))) {
    log(`using cached libtensorflow ${version} from ${target}`);
    return target;
  }
  const wheels = join(paths.cacheDir, "wheels");
  await Deno.mkdir(wheels, { recursive: true });
  let wheel = findWheel(wheels, version);
  if (!wheel) {
    log(`downloading tensorflow-cpu==${version} with pip (about 270 MB)…`);
    const r = await sh("python3", [
      "-m",
      "pip",
      "download",
      "--no-deps",
      "--only-binary=:all:",
      `tensorflow-cpu==${version}`,
      "-d",
      wheels,
    ], { timeoutMs: 900_000 });
    wheel = findWheel(wheels, version);
    if (r.code !== 0 || !wheel) {
      throw new Error(
        `pip could not download tensorflow-cpu==${version}: ${lastLine(r.out)}`,
      );
    }
  }
  log(`extracting libtensorflow and C headers from ${wheel.split("/").pop()}…`);
  const tmp = `${target}.tmp-${Deno.pid}`;
  await Deno.remove(tmp, { recursive: true }).catch(() => {});
  await Deno.mkdir(tmp, { recursive: true });
  // Only what the binding needs: the two libraries and the C API's headers (and those they include).
  const script = `
import sys, zipfile, os, shutil
whl, out = sys.argv[1], sys.argv[2]
keep_prefixes = ("tensorflow/include/tensorflow/c/", "tensorflow/include/tensorflow/core/platform/",
                 "tensorflow/include/tsl/", "tensorflow/include/xla/tsl/")
libs = ("tensorflow/libtensorflow_cc.so.2", "tensorflow/libtensorflow_framework.so.2")
with zipfile.ZipFile(whl) as z:
    for info in z.infolist():
        n = info.filename
        if n.endswith("/"):
            continue
        if n in libs:
            dest = os.path.join(out, "lib", os.path.basename(n))
        elif n.startswith(keep_prefixes) and n.endswith(".h"):
            dest = os.path.join(out, "include", n[len("tensorflow/include/"):])
        else:
            continue
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        with z.open(info) as src, open(dest, "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
`;
  const r = await sh("python3", ["-c", script, wheel, tmp]);
  if (r.code !== 0) throw new Error(`extracting the wheel failed: ${lastLine(r.out)}`);
  await symlink("libtensorflow_cc.so.2", join(tmp, "lib", "libtensorflow.so.2"));
  await Deno.writeTextFile(join(tmp, ".complete"), `tensorflow-cpu ${version}\n`);
  await Deno.remove(target, { recursive: true }).catch(() => {});
  await Deno.rename(tmp, target);
  return target;
}

function findWheel(dir: string, version: string): string | null {
  for (const e of Deno.readDirSync(dir)) {
    if (e.name.startsWith(`tensorflow_cpu-${version}-`) && e.name.endsWith(".whl")) {
      return join(dir, e.name);
    }
  }
  return null;
}

function lastLine(s: string): string {
  const lines = s.split("\n").map((l) => l.trim()).filter(Boolean);
  return (lines[lines.length - 1] ?? "no output").slice(0, 200);
}

/**
 * Route 2/3, part 2: link the binding against a libtensorflow folder (`lib/` with
 * `libtensorflow.so.2` or `libtensorflow_cc.so.2`, plus `libtensorflow_framework.so.2`;
 * `include/tensorflow/c/`). Symlinks the libraries into `deps/lib` under every name the linker
 * and the loader ask for, then builds tfjs-node's own binding.gyp with npm's node-gyp.
 */
export async function buildBinding(
  paths: SetupPaths,
  libDir: string,
  log: (l: string) => void,
): Promise<void> {
  const lib = join(libDir, "lib");
  const include = join(libDir, "include");
  const main = ["libtensorflow.so.2", "libtensorflow_cc.so.2"].map((n) => join(lib, n)).find(
    exists,
  );
  const framework = join(lib, "libtensorflow_framework.so.2");
  if (!main || !exists(framework) || !exists(join(include, "tensorflow", "c", "c_api.h"))) {
    throw new Error(
      `${libDir} is not a libtensorflow folder (needs lib/libtensorflow.so.2 or lib/libtensorflow_cc.so.2, lib/libtensorflow_framework.so.2 and include/tensorflow/c/c_api.h)`,
    );
  }
  await cleanPackage(paths);
  await Deno.mkdir(paths.depsLib, { recursive: true });
  const realMain = Deno.realPathSync(main);
  // -ltensorflow needs libtensorflow.so; the loader asks for the SONAME (libtensorflow_cc.so.2
  // for the wheel's library), found through the binding's rpath $ORIGIN/../../deps/lib.
  for (const n of ["libtensorflow.so", "libtensorflow.so.2", "libtensorflow_cc.so.2"]) {
    await symlink(realMain, join(paths.depsLib, n));
  }
  const realFw = Deno.realPathSync(framework);
  for (const n of ["libtensorflow_framework.so", "libtensorflow_framework.so.2"]) {
    await symlink(realFw, join(paths.depsLib, n));
  }
  await symlink(Deno.realPathSync(include), paths.depsInclude);

  const gyp = await findNodeGyp();
  const args = [
    gyp,
    "rebuild",
    `--napi_build_version=${NAPI_VERSION}`,
    "--module_name=tfjs_binding",
    `--module_path=${dirname(paths.binding)}`,
    `--jobs=${navigator.hardwareConcurrency ?? 2}`,
  ];
  const nodedir = await npmConfig("nodedir");
  if (nodedir) args.push(`--nodedir=${nodedir}`);
  log("building tfjs-node's binding with node-gyp…");
  const r = await sh("node", args, { cwd: paths.pkgDir, timeoutMs: 900_000 });
  if (r.code !== 0 || !exists(paths.binding)) {
    throw new Error(`node-gyp failed: ${lastLine(r.out)}`);
  }
}

async function findNodeGyp(): Promise<string> {
  const root = await sh("npm", ["root", "-g"]);
  const candidates = [
    root.code === 0
      ? join(root.out.trim(), "npm", "node_modules", "node-gyp", "bin", "node-gyp.js")
      : "",
    "/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js",
    "/usr/local/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js",
  ].filter(Boolean);
  const found = candidates.find(exists);
  if (!found) throw new Error("node-gyp not found (it ships with npm: install Node.js and npm)");
  return found;
}

async function npmConfig(key: string): Promise<string | null> {
  const r = await sh("npm", ["config", "get", key]);
  const v = r.out.trim();
  return r.code === 0 && v && v !== "undefined" && v !== "null" ? v : null;
}

/**
 * Loads the backend in a child Deno process (a broken library must not take setup down) and
 * returns TensorFlow's version, or throws with the child's last line.
 */
export async function probeBackend(): Promise<string> {
  const probe = fromFileUrl(new URL("./probe_backend.ts", import.meta.url));
  const r = await sh(Deno.execPath(), [
    "run",
    "--allow-read",
    "--allow-env",
    "--allow-ffi",
    "--allow-sys",
    probe,
  ], { timeoutMs: 120_000 });
  const m = r.out.match(/^tensorflow (\S+)$/m);
  if (r.code !== 0 || !m) throw new Error(`the binding does not load: ${lastLine(r.out)}`);
  return m[1];
}

/** Writes the stamp that makes later runs instant. */
export async function writeStamp(paths: SetupPaths, stamp: SetupStamp): Promise<void> {
  await Deno.writeTextFile(paths.stamp, JSON.stringify(stamp, null, 2) + "\n");
}
