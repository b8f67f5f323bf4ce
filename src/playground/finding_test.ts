import { assert, assertEquals } from "../testing/assert.ts";
import { endToEndRatio, findingText, magnitude } from "./finding.ts";

const decay = (len: number, factor: number) =>
  Array.from({ length: len }, (_, t) => Math.pow(factor, len - 1 - t));

Deno.test("magnitude: powers of ten in superscript, plain digits near 1", () => {
  assertEquals(magnitude(1.3e-9), "10⁻⁹");
  assertEquals(magnitude(4e12), "10¹³");
  assertEquals(magnitude(0.43), "0.43");
  assertEquals(magnitude(0), "0");
});

Deno.test("endToEndRatio: first over last, null when the last norm cannot divide", () => {
  assertEquals(endToEndRatio([1, 2, 4]), 0.25);
  assertEquals(endToEndRatio([1, 0]), null);
  assertEquals(endToEndRatio([1]), null);
});

Deno.test("the finding says what the numbers show", () => {
  const base = { cell: "rnn_tanh", task: "adding" as const, baseline: 1 / 6, clipping: true };
  const vanished = findingText({ ...base, step: 0, norms: decay(41, 0.6) });
  assert(
    vanished.startsWith(
      "The gradient 40 steps back is 10⁻⁹ of the last step's: the rnn_tanh cannot learn a " +
        "dependency this long.",
    ),
    vanished,
  );
  assert(!vanished.includes("training loss"), "nothing trained yet: no loss sentence");

  const learnt = findingText({
    ...base,
    cell: "lstm",
    step: 300,
    norms: decay(41, 0.99),
    initNorms: decay(41, 0.8),
    trainLoss: 0.004,
    test: { mse: 0.005, accuracy: 0.9 },
  });
  assert(learnt.includes("is 0.67 of the last step's (10⁻⁴ at initialisation)"), learnt);
  assert(learnt.includes("the dependency is learnable"), learnt);
  assert(learnt.includes("training loss is 0.004 against the memoryless baseline's 0.167"), learnt);
  assert(learnt.endsWith("test MSE 0.005: solved."), learnt);

  const stuck = findingText({
    ...base,
    step: 50,
    norms: decay(41, 0.8),
    trainLoss: 0.17,
    test: { mse: 0.16, accuracy: 0.1 },
  });
  assert(stuck.includes("a weak signal"), stuck);
  assert(stuck.endsWith("near the baseline: the long dependency is not learned yet."), stuck);

  const halfway = findingText({
    ...base,
    step: 200,
    norms: decay(41, 0.95),
    trainLoss: 0.05,
    test: { mse: 0.06, accuracy: 0.3 },
  });
  assert(halfway.endsWith("well below the baseline: it is learning."), halfway);

  const exploding = findingText({ ...base, clipping: false, step: 0, norms: decay(41, 1.2) });
  assert(exploding.includes("explodes backwards; turn clipping on"), exploding);

  const copy = findingText({
    ...base,
    task: "copy",
    step: 10,
    norms: decay(30, 0.9),
    trainLoss: 0.1,
    baseline: 0.3,
    test: { mse: null, accuracy: 0.995 },
  });
  assert(copy.endsWith("recall accuracy 0.995: solved."), copy);

  const under = findingText({ ...base, step: 0, norms: [0, ...decay(40, 0.5)] });
  assert(under.includes("underflowed float32"), under);
});
