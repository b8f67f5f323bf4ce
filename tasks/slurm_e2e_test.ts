/**
 * End to end on a real Slurm cluster: `deno task slurm … --array 3 --wait` submits a small suite
 * as a 3-task array and its merge job; mid-run, task 2 is requeued with `scontrol requeue` and
 * task 3 gets the time-limit warning (`scancel --batch --signal=USR1`, what `--signal=B:USR1@…`
 * sends), so its script stops train and requeues itself. Both rerun the same command and resume;
 * the merged records equal a one-process run's (status, metrics, curve, probes per config), and
 * every shard holds each of its configs once.
 *
 * Needs a cluster: `slurm/start-local-cluster.sh` (as root) starts a one-node one; `.ci/run` does
 * so in CI. Skipped, with the reason in its name, where none answers or setup provisioned another
 * route than the wheel the script pins — except under `CI=true`, where it must run. Slurm holds a
 * requeued task back for its credential's lifetime before it starts again (`cred_expire`: 10 s on
 * the local cluster, 120 s by default).
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readResultsDir } from "../src/results/store.ts";
import { readStamp, setupPaths } from "../src/setup/provision.ts";
import { assert, assertEquals, assertMatch } from "../src/testing/assert.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CI = Deno.env.get("CI") === "true";

/** A small, fast grid: 12 runs of about half a second each, 4 per shard. */
const SUITE = [
  "--suite",
  "quick",
  "--cells",
  "rnn_tanh",
  "--lengths",
  "10,20",
  "--seeds",
  "1,2,3",
  "--steps",
  "500",
  "--eval-every",
  "250",
  "--test-size",
  "64",
];

async function sh(cmd: string, args: string[]): Promise<{ code: number; out: string }> {
  try {
    const r = await new Deno.Command(cmd, { args, stdin: "null", stdout: "piped", stderr: "piped" })
      .output();
    const d = new TextDecoder();
    return { code: r.code, out: (d.decode(r.stdout) + d.decode(r.stderr)).trim() };
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return { code: 127, out: `${cmd} not found` };
    throw e;
  }
}

/** Why no cluster answers here, or null when one does. */
async function noCluster(): Promise<string | null> {
  const ping = await sh("scontrol", ["ping"]);
  if (ping.code !== 0) return `no Slurm cluster (scontrol ping: ${ping.out.split("\n")[0]})`;
  const nodes = await sh("sinfo", ["-h", "-o", "%t"]);
  if (!/\b(idle|mix|alloc)\b/.test(nodes.out)) return `no Slurm node up (sinfo: ${nodes.out})`;
  // The batch script pins setup's wheel route; on a machine provisioned another way it would
  // rebuild the backend, which a test should not do behind a developer's back.
  const route = readStamp(setupPaths())?.route;
  if (route !== "wheel") {
    return `setup's route here is ${
      route ?? "none"
    }, the Slurm script pins wheel (deno task setup --route wheel)`;
  }
  return null;
}

const why = await noCluster();
if (why && !CI) console.error(`slurm_e2e_test: skipped: ${why}; see slurm/start-local-cluster.sh`);

async function until<T>(
  what: string,
  f: () => Promise<T | null>,
  ms = 180_000,
  every = 25,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== null) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, every));
  }
}

async function recordLines(dir: string): Promise<string[]> {
  try {
    const lines: string[] = [];
    for (const e of Deno.readDirSync(dir)) {
      if (!e.name.endsWith(".jsonl")) continue;
      const t = await Deno.readTextFile(join(dir, e.name));
      lines.push(...t.split("\n").filter((l) => l.endsWith("}")));
    }
    return lines;
  } catch {
    return [];
  }
}

/** The last `results:` line of a task's log: runs trained and already there, per start. */
function resultsLines(log: string): { ran: number; there: number }[] {
  return [...log.matchAll(/\((\d+) run, (\d+) already there/g)].map((m) => ({
    ran: Number(m[1]),
    there: Number(m[2]),
  }));
}

Deno.test({
  name:
    `slurm: a 3-task array, one task requeued and one warned of its time limit mid-run, merges to the one-process records${
      why && !CI ? ` (skipped: ${why})` : ""
    }`,
  ignore: why !== null && !CI,
  async fn() {
    assert(
      why === null,
      `${why}: CI must start a cluster (.ci/run runs slurm/start-local-cluster.sh)`,
    );
    const name = `slurm-e2e-${Deno.pid}-${Date.now()}`;
    const out = `reports/${name}`;
    const abs = join(ROOT, out);
    const tmp = await Deno.makeTempDir({ prefix: "rnn-gradbench-slurm-e2e-" });
    let ids = { a: "", m: "" };
    let child: Deno.ChildProcess | null = null;
    try {
      child = new Deno.Command(Deno.execPath(), {
        args: [
          "task",
          "slurm",
          ...SUITE,
          "--array",
          "3",
          "--out",
          out,
          "--cpus",
          "1",
          "--mem",
          "1G",
          "--wait",
        ],
        cwd: ROOT,
        env: { NO_COLOR: "1" },
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      const dec = new TextDecoder();
      let stdout = "";
      const stdoutDone = (async () => {
        for await (const c of child.stdout) stdout += dec.decode(c, { stream: true });
      })();
      const stderrText = new Response(child.stderr).text();
      ids = await until("the job ids", () => {
        const a = stdout.match(/^array job (\d+):/m)?.[1],
          m = stdout.match(/^merge job (\d+):/m)?.[1];
        return Promise.resolve(a && m ? { a, m } : null);
      }, 120_000);

      // As soon as its shard's first record has landed (the rest of the shard is still to
      // train), task 2 is requeued and task 3 warned of its time limit; both shards are watched
      // at once, so neither finishes while the test waits on the other.
      const shard = (i: number) => join(abs, "shards", `shard-${i}`);
      const act: Record<number, string[]> = {
        2: ["scontrol", "requeue", `${ids.a}_2`],
        3: ["scancel", "--batch", "--signal=USR1", `${ids.a}_3`],
      };
      await until("the first records of shards 2 and 3", async () => {
        for (const i of [2, 3]) {
          if (!act[i] || (await recordLines(shard(i))).length === 0) continue;
          const [cmd, ...args] = act[i];
          const r = await sh(cmd, args);
          assertEquals(r.code, 0, `${act[i].join(" ")}: ${r.out}`);
          delete act[i];
        }
        return Object.keys(act).length === 0 || null;
      });

      // Meanwhile, the same grid in one process, with the inter-op threads of a 1-CPU task (the
      // graph path splits a batch into that many parts, which changes the sums' order).
      const one = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "--allow-read",
          `--allow-write=${tmp}`,
          "--allow-env",
          "--allow-ffi",
          "--allow-sys",
          join(ROOT, "tasks", "train.ts"),
          ...SUITE,
          "--out",
          join(tmp, "one"),
        ],
        cwd: ROOT,
        env: {
          NO_COLOR: "1",
          RNN_GRADBENCH_SHARD: "",
          JOB_COMPLETION_INDEX: "",
          TF_NUM_INTEROP_THREADS: "1",
        },
        stdin: "null",
        stdout: "null",
        stderr: "piped",
      }).output();
      assertEquals(one.code, 0, dec.decode(one.stderr));

      const status = await child.status;
      await stdoutDone;
      if (status.code !== 0) {
        // What the tasks said, for a failure in CI.
        const logs = [...Deno.readDirSync(join(abs, "logs"))].map((e) => e.name).sort()
          .map((n) => `--- ${n}\n${Deno.readTextFileSync(join(abs, "logs", n))}`).join("\n");
        throw new Error(`deno task slurm --wait:\n${stdout}\n${await stderrText}\n${logs}`);
      }
      assertMatch(
        stdout,
        new RegExp(`^merged: ${out} \\(array ${ids.a}: 3 COMPLETED; merge COMPLETED\\)`, "m"),
      );

      // The requeued and the warned task each started twice and resumed: the second start found
      // records of the first and trained the rest.
      const log = (i: number) =>
        Deno.readTextFileSync(join(abs, "logs", `rnn-gradbench-${ids.a}_${i}.out`));
      for (const i of [2, 3]) {
        assertMatch(log(i), /\(restart 1\)/, `task ${i} was restarted`);
        const starts = resultsLines(log(i));
        const last = starts.at(-1)!;
        assert(
          last.there > 0 && last.ran > 0,
          `task ${i} resumed mid-shard: ${JSON.stringify(starts)}`,
        );
      }
      assertMatch(log(3), /time limit near: stopping train and requeueing/);
      // What the array's starts cost (user + system CPU of train and its setup, from each log).
      let cpu = 0;
      for (const i of [1, 2, 3]) {
        for (const m of log(i).matchAll(/user and system: (\d+)m([\d.]+)s (\d+)m([\d.]+)s/g)) {
          cpu += 60 * Number(m[1]) + Number(m[2]) + 60 * Number(m[3]) + Number(m[4]);
        }
      }
      console.error(`slurm e2e: the array's 5 starts used ${cpu.toFixed(1)} s of CPU`);

      // Every shard holds each config once; the merge equals the one-process run.
      for (const i of [1, 2, 3]) {
        const hashes = (await recordLines(shard(i))).map((l) => JSON.parse(l).config_hash);
        assertEquals(new Set(hashes).size, hashes.length, `shard ${i}: a config recorded twice`);
      }
      const merged = await readResultsDir(abs);
      const whole = await readResultsDir(join(tmp, "one"));
      assertEquals(merged.runs.length, 1);
      assertEquals(whole.runs.length, 1);
      const m = merged.runs[0], w = whole.runs[0];
      assertEquals(m.file.split("/").pop(), w.file.split("/").pop(), "same suite run file");
      assertEquals(m.records.length, 12);
      const byHash = new Map(w.records.map((r) => [r.config_hash, r]));
      assertEquals(m.records.map((r) => r.config_hash).sort(), [...byHash.keys()].sort());
      for (const r of m.records) {
        const u = byHash.get(r.config_hash)!;
        const what = `${r.config.task} ${r.config.cell} T=${r.config.T} seed=${r.config.seed}`;
        assertEquals(r.status, u.status, what);
        assertEquals(r.metrics, u.metrics, `${what}: metrics`);
        assertEquals(r.curve, u.curve, `${what}: curve`);
        assertEquals(r.probes, u.probes, `${what}: probes`);
      }
    } finally {
      if (ids.a) await sh("scancel", [ids.a, ids.m]);
      try {
        child?.kill();
      } catch { /* it has exited */ }
      await Deno.remove(abs, { recursive: true }).catch(() => {});
      await Deno.remove(tmp, { recursive: true });
    }
  },
});

Deno.test({
  name: `slurm: --wait fails in one line naming a cancelled task, and its merge never runs${
    why && !CI ? ` (skipped: ${why})` : ""
  }`,
  ignore: why !== null && !CI,
  async fn() {
    assert(
      why === null,
      `${why}: CI must start a cluster (.ci/run runs slurm/start-local-cluster.sh)`,
    );
    const out = `reports/slurm-e2e-fail-${Deno.pid}-${Date.now()}`;
    const abs = join(ROOT, out);
    let ids = { a: "", m: "" };
    let child: Deno.ChildProcess | null = null;
    try {
      child = new Deno.Command(Deno.execPath(), {
        args: ["task", "slurm", ...SUITE, "--array", "2", "--out", out, "--cpus", "1", "--wait"],
        cwd: ROOT,
        env: { NO_COLOR: "1" },
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      let stdout = "";
      const dec = new TextDecoder();
      const stdoutDone = (async () => {
        for await (const c of child.stdout) stdout += dec.decode(c, { stream: true });
      })();
      const stderrText = new Response(child.stderr).text();
      ids = await until("the job ids", () => {
        const a = stdout.match(/^array job (\d+):/m)?.[1];
        const m = stdout.match(/^merge job (\d+):/m)?.[1];
        return Promise.resolve(a && m ? { a, m } : null);
      }, 120_000);
      const c = await sh("scancel", [`${ids.a}_2`]);
      assertEquals(c.code, 0, c.out);
      const status = await child.status;
      await stdoutDone;
      const stderr = await stderrText;
      assertEquals(status.code, 1, stderr);
      const failed = stderr.split("\n").filter((l) => l.startsWith("slurm: failed"));
      assertEquals(failed.length, 1, stderr);
      // Cancelled while pending (no record left) or while running (CANCELLED): named either way.
      assertMatch(failed[0], new RegExp(`array task ${ids.a}_2 (\\(CANCELLED|did not complete)`));
      assertMatch(failed[0], new RegExp(`merge job ${ids.m} CANCELLED`));
      const top = [...Deno.readDirSync(abs)].filter((e) => e.name.endsWith(".jsonl"));
      assertEquals(top, [], "no merged records");
    } finally {
      if (ids.a) await sh("scancel", [ids.a, ids.m]);
      try {
        child?.kill();
      } catch { /* it has exited */ }
      await Deno.remove(abs, { recursive: true }).catch(() => {});
    }
  },
});
