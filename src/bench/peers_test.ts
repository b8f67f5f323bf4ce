import { join } from "node:path";
import { validateBench } from "../results/schema.ts";
import { assert, assertEquals, assertMatch, assertThrows } from "../testing/assert.ts";
import {
  parsePeerOutput,
  parsePeerRecord,
  peerArgs,
  peerAvailable,
  peerMeasurement,
  PeerRecordError,
  PEERS,
  peerSupports,
  runPeer,
} from "./peers.ts";
import { summarize } from "./summarize.ts";

const LINE = JSON.stringify({
  contender: "torch",
  what: "train_step",
  cell: "lstm",
  T: 50,
  B: 64,
  H: 128,
  backend: "cpu",
  ms: 21.5,
  ms_min: 20,
  ms_max: 30,
  ms_all: [20, 21.5, 30],
  version: "2.13.0+cpu",
  threads: 2,
  interop_threads: 2,
  flush_denormal: true,
});

Deno.test("a peer line parses into a record and a measurement", () => {
  const r = parsePeerRecord(LINE);
  assertEquals([r.contender, r.cell, r.T, r.ms, r.threads, r.flush_denormal], [
    "torch",
    "lstm",
    50,
    21.5,
    2,
    true,
  ]);
  const m = peerMeasurement(r, 3);
  assertEquals([m.name, m.repeat, m.samples, m.ms_min, m.ms_max], [
    "lstm T=50",
    3,
    [20, 21.5, 30],
    20,
    30,
  ]);
});

Deno.test("peer output: JSON lines kept, other lines ignored", () => {
  assertEquals(parsePeerOutput(`warning: something\n${LINE}\n\n${LINE}\n`).length, 2);
});

Deno.test("a bad peer record names its field", () => {
  const bad = JSON.parse(LINE);
  delete bad.ms_all;
  const e = assertThrows(() => parsePeerRecord(JSON.stringify(bad)), PeerRecordError);
  assertMatch(e.message, /ms_all/);
  assertThrows(() => parsePeerRecord("{oops"), PeerRecordError);
  assertThrows(() => parsePeerRecord("[1]"), PeerRecordError);
});

Deno.test("the torch peer runs twice: subnormals flushed, then kept", () => {
  const grid = { cells: ["lstm"], lengths: [5], n: [2], warmup: [1], B: 4, H: 8, threads: 1 };
  assertEquals(PEERS.torch.variants.map((v) => v.contender), ["torch", "torch-denormal"]);
  assert(!peerArgs(PEERS.torch, 0, grid).includes("--keep-denormals"));
  assert(peerArgs(PEERS.torch, 1, grid).includes("--keep-denormals"));
});

Deno.test("threads are passed only when forced; otherwise the peer keeps its default", () => {
  const grid = { cells: ["lstm"], lengths: [5], n: [2], warmup: [1], B: 4, H: 8 };
  assert(!peerArgs(PEERS.keras, 0, grid).includes("--threads"));
  const forced = peerArgs(PEERS.keras, 0, { ...grid, threads: 3 });
  assertEquals(forced[forced.indexOf("--threads") + 1], "3");
});

Deno.test("a missing package or interpreter is reported as unavailable", async () => {
  const fake = { ...PEERS.torch, module: "no_such_module_rnn_gradbench" };
  assertEquals(await peerAvailable(fake), false);
  assertEquals(await peerAvailable(PEERS.torch, "no-such-python-rnn-gradbench"), false);
});

const ci = Deno.env.get("CI") === "true";
for (const name of Object.keys(PEERS)) {
  const peer = PEERS[name];
  const available = await peerAvailable(peer);
  Deno.test({
    name: `the ${name} peer script runs a tiny configuration and its records parse`,
    // Skipped where the package is missing (CI machines need not have torch or keras).
    ignore: !available,
    async fn() {
      const grid = {
        cells: ["lstm"],
        lengths: [5],
        n: [2],
        warmup: [1],
        B: 4,
        H: 8,
        threads: 1,
      };
      const ms = [];
      for (let v = 0; v < peer.variants.length; v++) {
        const records = await runPeer(peer, v, grid);
        assertEquals(records.map((r) => [r.contender, r.cell, r.T, r.B, r.H]), [
          [peer.variants[v].contender, "lstm", 5, 4, 8],
        ]);
        for (const r of records) {
          assertEquals(r.ms_all.length, 2);
          assertEquals(r.threads, 1);
        }
        ms.push(...records.map((r) => peerMeasurement(r, 1)));
      }
      const { entries } = summarize(ms);
      validateBench({
        schema: 1,
        kind: "bench",
        env: { backend: "cpu" },
        command: "",
        repeats: 1,
        entries,
        ratios: [],
      });
    },
  });
  if (!available && !ci) console.error(`(${name} not installed: its peer test is skipped)`);
}

Deno.test("which bench cells each peer has a model of", () => {
  for (const c of ["lstm", "lstm+attn", "lstm×2", "mingru", "exprnn", "gru+attn×2"]) {
    assert(peerSupports(PEERS.torch, c), c);
  }
  assert(!peerSupports(PEERS.torch, "indrnn"));
  assert(peerSupports(PEERS.keras, "lstm×3"));
  assert(!peerSupports(PEERS.keras, "lstm+attn"));
  assert(!peerSupports(PEERS.keras, "mingru"));
});

const torchAvailable = await peerAvailable(PEERS.torch);

Deno.test({
  name: "the torch peer times attention, minGRU and expRNN models, stacked too",
  ignore: !torchAvailable,
  async fn() {
    const cells = ["lstm+attn", "mingru", "exprnn", "mingru×2"];
    const grid = { cells, lengths: [5], n: [2], warmup: [1], B: 4, H: 8, threads: 1 };
    const records = await runPeer(PEERS.torch, 0, grid);
    assertEquals(records.map((r) => [r.contender, r.cell, r.T, r.flush_denormal]), [
      ["torch", "lstm+attn", 5, true],
      ["torch", "mingru", 5, true],
      ["torch", "exprnn", 5, true],
      ["torch", "mingru×2", 5, true],
    ]);
    const kept = await runPeer(PEERS.torch, 1, { ...grid, cells: ["exprnn"] });
    assertEquals(kept.map((r) => [r.contender, r.flush_denormal]), [["torch-denormal", false]]);
  },
});

/** The adding-problem reference files of the cells the torch peer has a model of. */
function referenceFiles(): string[] {
  const dirs = ["fixtures/grads", "../shared/reference/grads-exprnn"];
  const files: string[] = [];
  for (const dir of dirs) {
    let names: string[];
    try {
      names = [...Deno.readDirSync(dir)].map((e) => e.name);
    } catch {
      continue; // ../shared is not there on a fresh clone
    }
    for (const n of names.sort()) {
      const m = /^([a-z_]+?)(_attn)?-adding-.*\.json$/.exec(n);
      if (m && PEERS.torch.bases.includes(m[1])) files.push(join(dir, n));
    }
  }
  return files;
}

Deno.test({
  name: "every torch peer model computes the loss and gradients of the reference files",
  ignore: !torchAvailable,
  async fn() {
    const files = referenceFiles();
    const cells = new Set(files.map((f) => f.split("/").pop()!.split("-")[0]));
    for (const c of ["lstm", "lstm_attn", "gru", "rnn_tanh", "mingru"]) assert(cells.has(c), c);
    const { code, stdout, stderr } = await new Deno.Command("python3", {
      args: [PEERS.torch.script, "--check", ...files],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const dec = new TextDecoder();
    assertEquals(code, 0, dec.decode(stdout) + dec.decode(stderr));
    const lines = dec.decode(stdout).trim().split("\n").map((l) => JSON.parse(l));
    assertEquals(lines.length, files.length);
    for (const l of lines) {
      assert(l.ok === true, JSON.stringify(l));
      assert(l.loss_rel_err <= 1e-9 && l.grad_rel_err <= 1e-9, JSON.stringify(l));
    }
  },
});
