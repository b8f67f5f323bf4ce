import { runScript, scriptCommand } from "../src/testing/run_script.ts";
import { sampleRecord } from "../src/results/_sample.ts";
import { parseResults, suiteRunFile } from "../src/results/store.ts";
import type { ResultRecord } from "../src/results/schema.ts";
import { expandGrid, loadSuite } from "../src/suite/suite.ts";
import {
  assert,
  assertEquals,
  assertLess,
  assertMatch,
  assertRejects,
} from "../src/testing/assert.ts";

const PERMS = ["--allow-read", "--allow-write", "--allow-env", "--allow-ffi", "--allow-sys"];
const BACKEND = Deno.env.get("CI") === "true" ? ["--backend", "tensorflow"] : [];

const cmd = (args: string[]) => scriptCommand("tasks/train.ts", PERMS, args);
const train = (args: string[]) => runScript("tasks/train.ts", PERMS, args);

async function readDir(dir: string) {
  const files = [...Deno.readDirSync(dir)].filter((e) => e.name.endsWith(".jsonl"));
  assertEquals(files.length, 1);
  return parseResults(await Deno.readTextFile(`${dir}/${files[0].name}`));
}

Deno.test("--dry-run prints the grid and an estimate, and writes nothing", async () => {
  const out = `${await Deno.makeTempDir()}/results`;
  const r = await train(["--suite", "standard", "--dry-run", "--out", out]);
  assertEquals(r.code, 0);
  // Every run of the suite as the library expands it (its cells come from the registry).
  const n = (await expandGrid(await loadSuite("standard"))).runs.length;
  assertMatch(
    r.stdout,
    new RegExp(`suite standard \\(grid [0-9a-f]{12}\\): ${n} of ${n} runs; 0 done, ${n} remaining`),
  );
  assertMatch(r.stdout, /estimated remaining time: (at most )?[\d.]+ (h|min|s)/);
  assertMatch(
    r.stdout,
    /over N shards.*: 1 → [\d.]+ (h|min|s), 2 → .*, 4 → .*, 8 → [\d.]+ (h|min|s)/,
  );
  await assertRejects(() => Deno.stat(out), Deno.errors.NotFound);
  const paper = await train([
    "--suite",
    "paper",
    "--dry-run",
    "--lengths",
    "20",
    "--steps",
    "3",
    "--eval-every",
    "3",
  ]);
  assertEquals(paper.code, 0, paper.stderr);
  assertMatch(paper.stdout, /T=20/);
  const shard = await train(["--suite", "standard", "--dry-run", "--shard", "2/4"]);
  assertMatch(shard.stdout, new RegExp(`shard 2/4: \\d+ of ${n} runs`));
});

Deno.test("--dry-run lists only what remains, given the results folder", async () => {
  const out = `${await Deno.makeTempDir()}/results`;
  const grid = await expandGrid(await loadSuite("quick"));
  const file = suiteRunFile(out, grid.suite, grid.gridHash);
  await Deno.mkdir(out, { recursive: true });
  const done = grid.runs.slice(0, 30);
  await Deno.writeTextFile(
    file,
    done.map((r, i) =>
      JSON.stringify(sampleRecord({
        run_id: `r${i}`,
        suite: grid.suite,
        grid_hash: grid.gridHash,
        config_hash: r.hash,
        config: r.config,
      }))
    ).join("\n") + "\n",
  );
  const before = await Deno.readTextFile(file);
  const r = await train(["--suite", "quick", "--dry-run", "--out", out]);
  assertEquals(r.code, 0, r.stderr);
  const n = grid.runs.length;
  assertMatch(r.stdout, new RegExp(`${n} of ${n} runs; 30 done, ${n - 30} remaining`));
  const listed = r.stdout.split("\n").filter((l) => /^ {2}[0-9a-f]{12} /.test(l));
  assertEquals(listed.length, n - 30);
  for (const d of done) assertEquals(r.stdout.includes(d.hash.slice(0, 12)), false);
  assertEquals(await Deno.readTextFile(file), before, "a dry run writes nothing");
  // A folder a train has used holds its claims' lock: a dry run reads it without write access.
  await Deno.mkdir(`${out}/claims`);
  await Deno.writeTextFile(`${out}/claims/.lock`, "");
  const readOnly = await runScript(
    "tasks/train.ts",
    ["--allow-read", "--allow-env", "--allow-ffi", "--allow-sys"],
    ["--suite", "quick", "--dry-run", "--out", out],
  );
  assertEquals(readOnly.code, 0, readOnly.stderr);
  assertEquals(readOnly.stdout, r.stdout);
  // --force counts everything as remaining; a shard counts its own share
  const forced = await train(["--suite", "quick", "--dry-run", "--force", "--out", out]);
  assertMatch(forced.stdout, new RegExp(`0 done, ${n} remaining`));
  const shard = await train(["--suite", "quick", "--dry-run", "--shard", "1/2", "--out", out]);
  assertMatch(shard.stdout, new RegExp(`shard 1/2: \\d+ of ${n} runs; \\d+ done, \\d+ remaining`));
  // --only selects the suite's own runs: the same results file, the same done runs, no others.
  const only = await train(["--suite", "quick", "--dry-run", "--only", "lstm", "--out", out]);
  assertEquals(only.code, 0, only.stderr);
  assert(only.stdout.includes(file), only.stdout);
  const lstm = grid.runs.filter((r) => r.config.cell === "lstm");
  const lstmDone = lstm.filter((r) => done.includes(r)).length;
  assertMatch(
    only.stdout,
    new RegExp(
      `${lstm.length} of ${n} runs; ${lstmDone} done, ${lstm.length - lstmDone} remaining`,
    ),
  );
  const onlyListed = only.stdout.split("\n").filter((l) => /^ {2}[0-9a-f]{12} /.test(l));
  assertEquals(onlyListed.length, lstm.length - lstmDone);
  for (const l of onlyListed) assertMatch(l, / lstm /);
});

Deno.test("bad suites and flags: one clear line, exit 2, nothing written", async () => {
  const dir = await Deno.makeTempDir();
  const out = `${dir}/results`;
  const bad: [unknown, RegExp][] = [
    [{ cells: ["lstm", "transformer"] }, /unknown cell "transformer"/],
    [{ lengths: [0] }, /'lengths' must be a non-empty list of whole numbers ≥ 1/],
    [{ steps: "many" }, /'steps' must be a whole number/],
    [{ steps: 0 }, /'steps' must be a whole number ≥ 1/],
    [{ lengths: [10.5] }, /'lengths' must be a non-empty list of whole numbers ≥ 1/],
    [{ steps: 10, evalEvery: 50 }, /step budget of 10 is below the evaluation interval/],
    [{ stopWhenSolved: { patience: 2 } }, /'stopWhenSolved' needs the thresholds/],
    [{ layers: 9 }, /'layers' must be a whole number from 1 to 8/],
  ];
  for (const [json, msg] of bad) {
    const file = `${dir}/suite.json`;
    await Deno.writeTextFile(file, JSON.stringify(json));
    const r = await train(["--suite", file, "--out", out]);
    assertEquals(r.code, 2, r.stderr);
    assertEquals(r.stderr.trim().split("\n").length, 1, r.stderr);
    assertMatch(r.stderr, msg);
  }
  for (
    const [args, msg] of [
      [["--cells", "lstm,bogus"], /unknown cell 'bogus'/],
      [["--lengths", "10,-3"], /--lengths must be a whole number ≥ 1/],
      [["--backend", "gpu"], /--backend must be one of/],
      [["--shard", "3/2"], /1 ≤ I ≤ N/],
      [["--colour"], /colour/],
      [["--steps", "0"], /--steps must be a whole number ≥ 1/],
      [["--steps", "2.5"], /--steps must be a whole number/],
      [["--lengths", "1e3"], /--lengths must be a whole number/],
      [["--steps", "20", "--eval-every", "50"], /below the evaluation interval/],
      [["--hidden", "100000000"], /hidden 100000000,.* more than the 16\.0 GiB a run may use/],
      [["--layers", "0"], /--layers must be a whole number ≥ 1/],
      [["--layers", "9"], /--layers must be a whole number from 1 to 8/],
      [["--checkpoint-every", "-5"], /--checkpoint-every must be a whole number ≥ 0/],
      [["--checkpoint-every", "often"], /--checkpoint-every must be a whole number/],
      [["--only", "transformer"], /--only transformer: no run of the \d+ in the suite/],
      [["--only", " , "], /--only needs at least one label pattern/],
    ] as [string[], RegExp][]
  ) {
    const r = await train([...args, "--out", out]);
    assertEquals(r.code, 2, `${args}: ${r.stderr}`);
    assertEquals(r.stderr.trim().split("\n").length, 1, r.stderr);
    assertMatch(r.stderr, msg);
  }
  await assertRejects(() => Deno.stat(out), Deno.errors.NotFound);
});

const SMALL = [
  "--suite",
  "quick",
  "--task",
  "adding",
  "--lengths",
  "12",
  "--steps",
  "40",
  "--test-size",
  "32",
  "--eval-every",
  "10",
];

Deno.test("a killed run loses at most the run in flight; restarting resumes without duplicates", async () => {
  const out = `${await Deno.makeTempDir()}/results`;
  const args = [...SMALL, "--cells", "rnn_tanh,lstm,gru,indrnn", ...BACKEND, "--out", out];
  const child = cmd(args).spawn();
  // Wait for the first finished run, then SIGKILL mid-way through the next ones.
  const deadline = Date.now() + 60_000;
  for (;;) {
    await new Promise((r) => setTimeout(r, 100));
    const files = (() => {
      try {
        return [...Deno.readDirSync(out)].filter((e) => e.name.endsWith(".jsonl"));
      } catch {
        return [];
      }
    })();
    if (
      files.length && (await Deno.readTextFile(`${out}/${files[0].name}`)).split("\n").length >= 2
    ) break;
    assert(Date.now() < deadline, "no run finished in time");
  }
  child.kill("SIGKILL");
  await child.output();
  const before = await readDir(out);
  assert(
    before.records.length >= 1 && before.records.length < 4,
    `${before.records.length} runs before the kill`,
  );
  const r = await train(args);
  assertEquals(r.code, 0, r.stderr);
  assertMatch(r.stderr, new RegExp(`${before.records.length} already there`));
  const after = await readDir(out);
  const grid = await expandGrid(await loadSuite("quick"), {
    tasks: ["adding"],
    lengths: [12],
    steps: 40,
    testSize: 32,
    evalEvery: 10,
    cells: ["rnn_tanh", "lstm", "gru", "indrnn"],
    backend: BACKEND[1] ?? "auto",
  });
  assertEquals(after.records.map((x) => x.config_hash).sort(), grid.runs.map((x) => x.hash).sort());
  assertEquals(after.problems, []);
  // and a third run is a no-op; --force re-runs
  const again = await train(args);
  assertMatch(again.stderr, new RegExp(`0 run, ${grid.runs.length} already there`));
});

Deno.test("Ctrl-C abandons the run in flight and says how to resume", async () => {
  const out = `${await Deno.makeTempDir()}/results`;
  // A run that cannot finish early: the tanh RNN at T = 200 never solves in 4,000 steps.
  const slow = ["--steps", "4000", "--cells", "rnn_tanh", "--lengths", "200"];
  const child = cmd([...SMALL, ...slow, ...BACKEND, "--out", out]).spawn();
  // Interrupt once the run has started (its start line), however slow the process's start.
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let err = "";
  while (!/\[1\/\d+\] .*: 4000 steps/.test(err)) {
    const { value, done } = await reader.read();
    if (done) break;
    err += value;
  }
  child.kill("SIGINT");
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    err += value;
  }
  await child.stdout.cancel();
  const res = await child.status;
  assertEquals(res.code, 130, err);
  assertMatch(err, /Re-run the same command to resume/);
  const files = [...Deno.readDirSync(out)].filter((e) => e.name.endsWith(".jsonl"));
  assertEquals(files.length, 0, "the abandoned run was not written");
});

Deno.test("the quick suite runs end to end and shows the remedies working where the tanh RNN fails", async () => {
  const out = `${await Deno.makeTempDir()}/results`;
  const r = await train(["--suite", "quick", ...BACKEND, "--out", out]);
  assertEquals(r.code, 0, r.stderr);
  const { records, problems } = await readDir(out);
  assertEquals(problems, []);
  assertEquals(records.length, 9 * 2 * 2 + 9 * 2); // adding: 2 lengths × 2 seeds; copy: 2 × 1
  assert(records.every((x) => x.status === "ok"), "every quick run finishes");
  if (Deno.env.get("CI") === "true") assert(records.every((x) => x.env.backend === "tensorflow"));
  const at = (task: string, T: number, cell: string) =>
    records.filter((x) => x.config.task === task && x.config.T === T && x.config.cell === cell);
  const solved = (task: string, T: number, cell: string) =>
    at(task, T, cell).every((x) => x.metrics.steps_to_solve !== null);
  // The lesson of the main job's report (docs/suites.md): at T = 50 on the adding problem, with
  // both seeds, the tanh RNN stays unsolved while LSTM, GRU and attention solve it.
  assert(at("adding", 50, "rnn_tanh").every((x) => x.metrics.steps_to_solve === null));
  for (const cell of ["lstm", "gru", "rnn_tanh+attn"]) assert(solved("adding", 50, cell), cell);
  assert(solved("copy", 10, "lstm+attn"), "copy T=10 lstm+attn");
  assert(!solved("copy", 10, "rnn_tanh"), "copy T=10 rnn_tanh");
  const ratio = (cell: string) => {
    const rec = at("adding", 50, cell)[0];
    const n = rec.probes[0].norms;
    return n[0] / n[n.length - 1];
  };
  assertLess(ratio("rnn_tanh"), ratio("lstm") * 1e-3);
  assertLess(ratio("lstm"), ratio("lstm+attn"));
});

Deno.test("two quick runs to a pipe print a few lines per run; --verbose adds one per evaluation", async () => {
  const out = `${await Deno.makeTempDir()}/results`;
  const args = [...SMALL, "--cells", "rnn_tanh,lstm", "--seeds", "1", ...BACKEND, "--out", out];
  const quiet = await train(args);
  assertEquals(quiet.code, 0, quiet.stderr);
  const lines = quiet.stderr.trim().split("\n");
  // A header, a start and an end line per run, the closing two lines (backend notes aside).
  assertLess(lines.length, 2 * 3 + 5, quiet.stderr);
  assertEquals(lines.filter((l) => /^\[\d\/2\] /.test(l)).length, 2, quiet.stderr);
  assertEquals(lines.filter((l) => /^[✓✗] \[\d\/2\] /.test(l)).length, 2, quiet.stderr);
  assert(!quiet.stderr.includes("\x1b["), "no terminal control codes in a pipe");
  const loud = await train([...args, "--force", "--verbose"]);
  assertEquals(loud.code, 0, loud.stderr);
  // 40 steps, an evaluation every 10: four lines per run.
  assertEquals(loud.stderr.split("\n").filter((l) => / step \d+\/40 /.test(l)).length, 8);
});

// A run that cannot finish early (the tanh RNN does not solve adding at T = 40) and takes a few
// seconds, checkpointed every 100 steps.
const LONG = [
  "--suite",
  "quick",
  "--task",
  "adding",
  "--lengths",
  "40",
  "--cells",
  "rnn_tanh",
  "--seeds",
  "1",
  "--steps",
  "2500",
  "--eval-every",
  "100",
  "--test-size",
  "64",
  ...BACKEND,
];

/**
 * A record's results: all but `run_id` (unique per record), `env` (its date, and the machine
 * facts of the last process), `timing` (wall clock) and `resumed_from` (how it was trained).
 */
function results(r: ResultRecord) {
  const { run_id: _i, env: _e, timing, resumed_from: _r, ...rest } = r;
  return { ...rest, steps_done: timing.steps_done };
}

let uninterrupted: Promise<ResultRecord> | null = null;
/** The LONG run trained in one go without checkpoints (once per test process). */
function reference(): Promise<ResultRecord> {
  return uninterrupted ??= (async () => {
    const out = `${await Deno.makeTempDir()}/results`;
    const r = await train([...LONG, "--checkpoint-every", "0", "--out", out]);
    assertEquals(r.code, 0, r.stderr);
    return (await readDir(out)).records[0];
  })();
}

/** Starts LONG into `out` and resolves once its first checkpoint file exists. */
async function startUntilCheckpoint(out: string) {
  const child = cmd([...LONG, "--checkpoint-every", "100", "--out", out]).spawn();
  const deadline = Date.now() + 60_000;
  for (;;) {
    await new Promise((r) => setTimeout(r, 50));
    const files = (() => {
      try {
        return [...Deno.readDirSync(`${out}/checkpoints`)].filter((e) => e.name.endsWith(".ckpt"));
      } catch {
        return [];
      }
    })();
    if (files.length) return child;
    assert(Date.now() < deadline, "no checkpoint in time");
  }
}

const ckptFiles = (out: string) => [...Deno.readDirSync(`${out}/checkpoints`)].map((e) => e.name);

for (const signal of ["SIGKILL", "SIGTERM"] as const) {
  Deno.test(`${signal} mid-run, then the same command: the record equals an uninterrupted run's`, async () => {
    const out = `${await Deno.makeTempDir()}/results`;
    const child = await startUntilCheckpoint(out);
    child.kill(signal);
    const killed = await child.output();
    const err = new TextDecoder().decode(killed.stderr);
    if (signal === "SIGTERM") {
      assertEquals(killed.code, 143, err);
      assertMatch(err, /SIGTERM: saving a checkpoint/);
      assertEquals([...Deno.readDirSync(`${out}/claims`)].map((e) => e.name), [".lock"]);
    }
    assertEquals(ckptFiles(out).length, 1);
    const dry = await train([...LONG, "--dry-run", "--out", out]);
    assertMatch(dry.stdout, /1 remaining \(1 in flight\)/);
    assertMatch(dry.stdout, /in flight: checkpoint at step \d+, \d+ steps left/);
    assertEquals(
      [...Deno.readDirSync(out)].filter((e) => e.name.endsWith(".jsonl")).length,
      0,
      "the run in flight was not recorded",
    );
    const r = await train([...LONG, "--checkpoint-every", "100", "--out", out]);
    assertEquals(r.code, 0, r.stderr);
    const resumed = r.stderr.match(/resumed from step (\d+)/);
    assert(resumed, r.stderr);
    assertEquals(r.stderr.split("\n").filter((l) => l.includes("resumed from")).length, 1);
    const step = Number(resumed[1]);
    assert(step >= 100 && step < 2500, `resumed from ${step}`);
    if (signal === "SIGKILL") assertEquals(step % 100, 0, "kill -9: the last periodic checkpoint");
    const { records, problems } = await readDir(out);
    assertEquals(problems, []);
    assertEquals(records.length, 1);
    assertEquals(records[0].resumed_from, [step]);
    assertEquals(results(records[0]), results(await reference()));
    assertEquals(ckptFiles(out), [], "no checkpoint is left");
    assertEquals([...Deno.readDirSync(`${out}/claims`)].map((e) => e.name), [".lock"]);
  });
}

Deno.test("a corrupted checkpoint is refused in one line and the run starts from step 0", async () => {
  const out = `${await Deno.makeTempDir()}/results`;
  const child = await startUntilCheckpoint(out);
  child.kill("SIGTERM");
  assertEquals((await child.output()).code, 143);
  const [name] = ckptFiles(out);
  const bytes = await Deno.readFile(`${out}/checkpoints/${name}`);
  bytes[bytes.length - 1] ^= 0x40; // one bit of one Adam moment
  await Deno.writeFile(`${out}/checkpoints/${name}`, bytes);
  const r = await train([...LONG, "--checkpoint-every", "100", "--out", out]);
  assertEquals(r.code, 0, r.stderr);
  const refused = r.stderr.split("\n").filter((l) => l.includes("refused"));
  assertEquals(refused.length, 1, r.stderr);
  assertMatch(refused[0], /checksum does not match.*starting from step 0/);
  assertEquals(r.stderr.includes("resumed from"), false);
  const { records } = await readDir(out);
  assertEquals(records[0].resumed_from, undefined);
  assertEquals(results(records[0]), results(await reference()));
  assertEquals(ckptFiles(out), []);
});

Deno.test("two train processes on one folder split the runs: each config exactly once", async () => {
  const out = `${await Deno.makeTempDir()}/results`;
  const args = [
    ...SMALL,
    "--steps",
    "300",
    "--cells",
    "rnn_tanh,lstm,gru,indrnn",
    "--seeds",
    "1,2",
    ...BACKEND,
    "--out",
    out,
  ];
  const [a, b] = await Promise.all([train(args), train(args)]);
  assertEquals([a.code, b.code], [0, 0], a.stderr + b.stderr);
  const { records, problems } = await readDir(out);
  assertEquals(problems, []);
  const ran = (s: string) => Number(s.match(/\((\d+) run,/)![1]);
  assertEquals(ran(a.stderr) + ran(b.stderr), 8, a.stderr + b.stderr);
  assertEquals(records.length, 8);
  assertEquals(new Set(records.map((r) => r.config_hash)).size, 8);
  const lines = (await Deno.readTextFile(
    `${out}/${[...Deno.readDirSync(out)].find((e) => e.name.endsWith(".jsonl"))!.name}`,
  )).trim().split("\n");
  assertEquals(lines.length, 8, "no run trained twice");
});
