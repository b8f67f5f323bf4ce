import { join } from "node:path";
import type { EntrySpeed, SpeedBenchFile } from "../src/bench/mod.ts";
import { type BenchEntry, validateBench } from "../src/results/schema.ts";
import { assert, assertEquals, assertMatch } from "../src/testing/assert.ts";

async function bench(out: string, args: string[], env: Record<string, string> = {}) {
  const cmd = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      `--allow-write=${out}`,
      "--allow-env",
      "--allow-ffi",
      "--allow-sys",
      "--allow-run",
      "tasks/bench.ts",
      "--out",
      join(out, "bench"),
      ...args,
    ],
    env,
    stdout: "piped",
    stderr: "piped",
  });
  const { code, stdout, stderr } = await cmd.output();
  const dec = new TextDecoder();
  return { code, stdout: dec.decode(stdout), stderr: dec.decode(stderr) };
}

async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "bench_test_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("bench --help prints the flags and exits 0", async () => {
  await withTempDir(async (dir) => {
    const r = await bench(dir, ["--help"]);
    assertEquals(r.code, 0);
    for (const flag of ["--quick", "--filter PATTERN", "--backend LIST", "--peer LIST"]) {
      assert(r.stdout.includes(flag), flag);
    }
  });
});

for (
  const [what, args, pattern] of [
    ["an unknown flag", ["--nope"], /nope/],
    ["an unknown peer", ["--peer", "jax"], /--peer must be one of torch, keras/],
    ["an unknown backend", ["--backend", "gpu"], /--backend/],
    ["a bad repeat count", ["--repeats", "0"], /--repeats/],
    ["an unknown cell", ["--cells", "lstm,transformer"], /transformer/],
    ["an unknown preset", ["--preset", "fastest"], /--preset must be one of speed/],
  ] as const
) {
  Deno.test(`${what} exits 2 with one line and writes nothing`, async () => {
    await withTempDir(async (dir) => {
      const r = await bench(dir, [...args]);
      assertEquals(r.code, 2, r.stderr);
      assertEquals(r.stderr.trim().split("\n").length, 1);
      assertMatch(r.stderr, /^bench: /);
      assertMatch(r.stderr, pattern);
      assertEquals([...Deno.readDirSync(dir)], []);
    });
  });
}

Deno.test("the bench files type-check (deno bench --no-run)", async () => {
  const { code, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["bench", "--no-run", "bench/"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assertEquals(code, 0, new TextDecoder().decode(stderr));
});

Deno.test("a tiny bench runs, skips an absent peer, measures the GEMM peak, writes a valid file", async () => {
  await withTempDir(async (dir) => {
    const r = await bench(dir, [
      "--quick",
      "--filter",
      "lstm T=50",
      "--repeats",
      "1",
      "--steps",
      "2",
      "--warmup",
      "1",
      "--no-extras",
      "--peer",
      "torch",
    ], { RNN_GRADBENCH_PYTHON: "no-such-python-rnn-gradbench" });
    assertEquals(r.code, 0, r.stderr);
    assertMatch(r.stderr, /peer torch: not installed .*pip install torch/);
    assertMatch(r.stdout, /\| lstm +\| +50 \|/);
    assertMatch(r.stdout, /not run: torch/);
    assertMatch(
      r.stdout,
      /fp32 GEMM peak: [\d.]+ GFLOP\/s \(TensorFlow [\d.]+ MatMul of two 1024×1024/,
    );
    const files = [...Deno.readDirSync(join(dir, "bench"))].map((e) => e.name);
    assertEquals(files.length, 1);
    assertMatch(files[0], /^bench-.*\.json$/);
    const file: SpeedBenchFile = validateBench(
      JSON.parse(await Deno.readTextFile(join(dir, "bench", files[0]))),
    );
    const step: BenchEntry & EntrySpeed = file.entries.find((e) => e.what === "train_step")!;
    assertEquals([step.contender, step.cell, step.T, step.B, step.H, step.backend], [
      "rnn-gradbench",
      "lstm",
      50,
      64,
      128,
      "tensorflow",
    ]);
    assert(step.ms > 0 && step.ms_min <= step.ms && step.ms <= step.ms_max);
    assertEquals(step.ms_repeats.length, 1);
    assertEquals(file.env.backend, "tensorflow");
    assertEquals(file.ratios, []);
    // the peak (at the core count and at one thread), and each step's share of it
    const cores = navigator.hardwareConcurrency;
    assertEquals(
      file.entries.filter((e) => e.what === "peak").map((e) => e.name).sort(),
      [...new Set([cores, 1])].map((n) => `gemm n=1024 threads=${n}`).sort(),
    );
    assert(file.peak!.gflops > 0 && file.peak!.threads === cores, JSON.stringify(file.peak));
    assertEquals(step.gflop, 1.271);
    assert(step.gflops! > 0 && step.peak_share! > 0);
    // no peer ran: the share of the peak alone decides
    assertEquals(file.speed!.map((s) => [s.cell, s.T, s.ratio]), [["lstm", 50, null]]);
    assertEquals(file.speed![0].verdict, file.speed![0].peak_share! >= 0.75 ? "meets" : "not");
    assertEquals(file.raw?.length, 1 + new Set([cores, 1]).size);
  });
});

Deno.test("every finished repeat is written, so a killed bench keeps what it measured", async () => {
  await withTempDir(async (dir) => {
    const r = await bench(dir, [
      "--quick",
      "--filter",
      "rnn_tanh T=50",
      "--repeats",
      "2",
      "--steps",
      "1",
      "--warmup",
      "0",
      "--no-extras",
      "--no-peak",
    ]);
    assertEquals(r.code, 0, r.stderr);
    assertMatch(r.stderr, /1 of 2 repeats written to .*bench-.*\.json/);
    const files = [...Deno.readDirSync(join(dir, "bench"))].map((e) => e.name);
    assertEquals(files.length, 1); // the same file, completed
    const file = validateBench(JSON.parse(await Deno.readTextFile(join(dir, "bench", files[0]))));
    assertEquals(file.repeats, 2);
    assertEquals(file.entries.find((e) => e.what === "train_step")!.ms_repeats.length, 2);
  });
});
