import { assert, assertEquals, assertThrows } from "../testing/assert.ts";
import {
  cellChoices,
  DEFAULTS,
  ParamError,
  parseSettings,
  sequenceLengthOf,
  settingsQuery,
  trainCommand,
} from "./params.ts";

const CELLS = ["rnn_tanh", "lstm", "gru"];

function paramError(query: string): ParamError {
  try {
    parseSettings(query, CELLS);
  } catch (e) {
    assert(e instanceof ParamError, `expected a ParamError for ${query}, got ${e}`);
    return e;
  }
  throw new Error(`no error for ${query}`);
}

Deno.test("no parameters give the defaults", () => {
  assertEquals(parseSettings("", CELLS), { ...DEFAULTS });
  assertEquals(parseSettings("?", CELLS), { ...DEFAULTS });
});

Deno.test("every control is read from the URL", () => {
  const s = parseSettings(
    "?task=copy&cell=gru%2Battn&layers=2&T=25&H=16&batch=8&lr=0.01&clip=off&seed=7" +
      "&symbols=5&backend=cpu&autorun=1&steps=30&every=5",
    CELLS,
  );
  assertEquals(s, {
    task: "copy",
    cell: "gru+attn",
    layers: 2,
    T: 25,
    H: 16,
    batch: 8,
    lr: 0.01,
    clip: null,
    seed: 7,
    symbols: 5,
    backend: "cpu",
    autorun: true,
    steps: 30,
    every: 5,
  });
  assertEquals(sequenceLengthOf(s), 35);
  assertEquals(parseSettings("clip=2.5", CELLS).clip, 2.5);
  assertEquals(parseSettings("clip=0", CELLS).clip, null);
});

Deno.test("a bad parameter names itself and says why", () => {
  const cases: [string, string, RegExp][] = [
    ["cel=lstm", "cel", /unknown parameter/],
    ["cell=lsmt", "cell", /expected one of rnn_tanh, lstm, gru, rnn_tanh\+attn/],
    ["cell=lstm attn", "cell", /got "lstm attn"/],
    ["T=%E0%A4%A", "T", /not a valid URL-encoded value/],
    ["T=abc", "T", /whole number in 2…1000, got "abc"/],
    ["T=1", "T", /2…1000/],
    ["T=40.5", "T", /whole number/],
    ["H=0", "H", /1…512/],
    ["layers=9", "layers", /1…4/],
    ["lr=0", "lr", /\(0, 1\]/],
    ["lr=fast", "lr", /got "fast"/],
    ["clip=-1", "clip", /number in \(0/],
    ["seed=-3", "seed", /0…4294967295/],
    ["steps=0", "steps", /1…1000000/],
    ["autorun=yes", "autorun", /one of 0, 1/],
    ["backend=webgl", "backend", /auto, wasm, cpu/],
    ["task=sort", "task", /adding, copy/],
    ["symbols=4", "symbols", /only the copy task/],
    ["T=10&T=20", "T", /more than once/],
  ];
  for (const [query, param, why] of cases) {
    const e = paramError(query);
    assertEquals(e.param, param, query);
    assert(why.test(e.message), `${query}: ${e.message}`);
    assert(e.message.startsWith(`${param}: `), e.message);
    assert(!e.message.includes("\n"), "one line");
  }
});

Deno.test("settingsQuery round-trips: task, cell, T and what differs from the defaults", () => {
  assertEquals(settingsQuery({ ...DEFAULTS }), "task=adding&cell=lstm&T=40");
  const s = parseSettings("?cell=lstm%2Battn&T=100&clip=off&autorun=1&steps=300", CELLS);
  const q = settingsQuery(s);
  assertEquals(q, "task=adding&cell=lstm+attn&T=100&clip=off&autorun=1&steps=300");
  assertEquals(parseSettings(q, CELLS), s);
  const copy = parseSettings("task=copy&symbols=3", CELLS);
  assertEquals(parseSettings(settingsQuery(copy), CELLS), copy);
  // symbols is dropped for adding (where it would be rejected).
  assertEquals(settingsQuery({ ...DEFAULTS, symbols: 4 }), "task=adding&cell=lstm&T=40");
});

Deno.test("cellChoices offers every base cell and each +attn", () => {
  assertEquals(cellChoices(["a", "b"]), ["a", "b", "a+attn", "b+attn"]);
  // A typed `+` is a plus (not form encoding's space); an escaped one works too.
  assertEquals(parseSettings("cell=a+attn", ["a"]).cell, "a+attn");
  assertEquals(parseSettings("cell=a%2Battn", ["a"]).cell, "a+attn");
  assertThrows(() => parseSettings("cell=b+attn", ["a"]), ParamError);
});

Deno.test("trainCommand: the same run with deno task train, where its flags can say it", () => {
  const s = parseSettings("cell=lstm+attn&T=40&steps=500&layers=2", CELLS);
  assertEquals(
    trainCommand(s, "wasm"),
    "deno task train --task adding --cells lstm+attn --lengths 40 --seeds 1 --hidden 32 " +
      "--batch 32 --lr 0.01 --layers 2 --steps 500 --eval-every 10 --test-size 256 --backend wasm",
  );
  assertEquals(trainCommand(parseSettings("clip=off", CELLS), "cpu"), null);
  assertEquals(trainCommand(parseSettings("task=copy", CELLS), "cpu"), null);
  assert(trainCommand(parseSettings("task=copy&symbols=5", CELLS), "cpu")!.includes("copy"));
});
