/**
 * End to end on a real Slurm cluster: `deno task slurm … --array 3 --wait` submits a small suite
 * as a 3-task array and its merge job; mid-run, task 2 is requeued with `scontrol requeue` and
 * task 3 gets the time-limit warning (`scancel --batch --signal=USR1`, what `--signal=B:USR1@…`
 * sends), so its script stops train and requeues itself. Both rerun the same command and resume;
 * the merged records equal a one-process run's (status, metrics, curve, probes per config), and
 * every shard holds each of its configs once.
 *
 * Needs a cluster: `slurm/start-local-cluster.sh` (as root) starts a one-node one; `.ci/run` does
 * so in CI. Skipped, with the reason in its name, where none answers — except under `CI=true`,
 * where it must run. The requeued tasks' start is moved to now (`scontrol update StartTime=now`):
 * Slurm holds a requeued job back for about two minutes, which tests the clock, not the resume.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readResultsDir } from "../src/results/store.ts";
import { assert, assertEquals, assertMatch } from "../src/testing/assert.ts";
import { parseShowJob } from "../src/cluster/slurm.ts";

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
  return null;
}

const why = await noCluster();
if (why && !CI) console.error(`slurm_e2e_test: skipped: ${why}; see slurm/start-local-cluster.sh`);

async function until<T>(what: string, f: () => Promise<T | null>, ms = 180_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== null) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
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

async function taskState(ref: string): Promise<{ state: string; reason: string } | null> {
  const r = await sh("scontrol", ["show", "job", "-o", ref]);
  const j = parseShowJob(r.out)[0];
  return j ? { state: j.state, reason: j.reason } : null;
}

/** Waits for a requeued task to be pending again, then lets it start now. */
async function startNow(ref: string): Promise<void> {
  await until(`${ref} pending after its requeue`, async () => {
    const s = await taskState(ref);
    return s?.state === "PENDING" ? s : null;
  });
  const u = await sh("scontrol", ["update", `JobId=${ref}`, "StartTime=now"]);
  assertEquals(u.code, 0, `scontrol update ${ref} StartTime=now: ${u.out}`);
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

      // Task 2: requeued once its first record has landed (the rest of its shard is in flight).
      const shard = (i: number) => join(abs, "shards", `shard-${i}`);
      await until(
        "shard 2's first record",
        async () => (await recordLines(shard(2))).length > 0 || null,
      );
      const rq = await sh("scontrol", ["requeue", `${ids.a}_2`]);
      assertEquals(rq.code, 0, `scontrol requeue: ${rq.out}`);
      // Task 3: the time-limit warning, once its first record has landed.
      await until(
        "shard 3's first record",
        async () => (await recordLines(shard(3))).length > 0 || null,
      );
      const warn = await sh("scancel", ["--batch", "--signal=USR1", `${ids.a}_3`]);
      assertEquals(warn.code, 0, `scancel --signal=USR1: ${warn.out}`);
      await startNow(`${ids.a}_2`);
      await startNow(`${ids.a}_3`);

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
      assertEquals(status.code, 0, `deno task slurm --wait:\n${stdout}\n${await stderrText}`);
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
      assertMatch(log(3), /time limit near: checkpointing and requeueing/);

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
