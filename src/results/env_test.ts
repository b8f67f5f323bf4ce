import { assert, assertEquals, assertMatch } from "../testing/assert.ts";
import { collectEnvironment, gitCommit } from "./env.ts";

Deno.test("the environment object names backend, versions, CPU, threads and date", () => {
  const env = collectEnvironment({
    name: "cpu",
    tfjsVersion: "4.22.0",
    tensorflowVersion: null,
    threads: 1,
  });
  assertEquals(env.backend, "cpu");
  assertEquals(env.tfjs, "4.22.0");
  assertEquals(env.threads, 1);
  assert(env.cpu.length > 0);
  assert(env.cores >= 1);
  assertMatch(env.date, /^\d{4}-\d\d-\d\dT/);
  assertEquals(env.deno, Deno.version.deno);
});

Deno.test("the environment records the TensorFlow version and setup's route where there is one", () => {
  const env = collectEnvironment({
    name: "tensorflow",
    tfjsVersion: "4.22.0",
    tensorflowVersion: "2.21.0",
    tensorflowRoute: "wheel",
    threads: 1,
    interOpThreads: 2,
  });
  assertEquals([env.backend, env.tensorflow, env.tensorflowRoute], [
    "tensorflow",
    "2.21.0",
    "wheel",
  ]);
  const cpu = collectEnvironment({
    name: "cpu",
    tfjsVersion: "4.22.0",
    tensorflowVersion: null,
    threads: 1,
  });
  assert(!("tensorflowRoute" in cpu), "no route without TensorFlow");
});

Deno.test("the git commit is read from .git without a subprocess", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.mkdir(`${dir}/.git/refs/heads`, { recursive: true });
  await Deno.writeTextFile(`${dir}/.git/HEAD`, "ref: refs/heads/main\n");
  await Deno.writeTextFile(
    `${dir}/.git/packed-refs`,
    `# pack-refs\n${"a".repeat(40)} refs/heads/main\n`,
  );
  const saved = Deno.env.get("GITHUB_SHA");
  Deno.env.delete("GITHUB_SHA");
  try {
    assertEquals(gitCommit(dir), "a".repeat(40));
    await Deno.writeTextFile(`${dir}/.git/refs/heads/main`, `${"b".repeat(40)}\n`);
    assertEquals(gitCommit(dir), "b".repeat(40));
    assertEquals(gitCommit("/nonexistent"), null);
  } finally {
    if (saved) Deno.env.set("GITHUB_SHA", saved);
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("in a linked worktree the commit is read through its gitdir and the common refs", async () => {
  const dir = await Deno.makeTempDir();
  const main = `${dir}/main/.git`;
  const wt = `${main}/worktrees/side`;
  await Deno.mkdir(`${main}/refs/heads`, { recursive: true });
  await Deno.mkdir(wt, { recursive: true });
  await Deno.mkdir(`${dir}/side`);
  await Deno.writeTextFile(`${dir}/side/.git`, `gitdir: ${wt}\n`);
  await Deno.writeTextFile(`${wt}/HEAD`, "ref: refs/heads/side\n");
  await Deno.writeTextFile(`${wt}/commondir`, "../..\n");
  await Deno.writeTextFile(`${main}/packed-refs`, `${"c".repeat(40)} refs/heads/side\n`);
  const saved = Deno.env.get("GITHUB_SHA");
  Deno.env.delete("GITHUB_SHA");
  try {
    assertEquals(gitCommit(`${dir}/side`), "c".repeat(40));
    await Deno.writeTextFile(`${main}/refs/heads/side`, `${"d".repeat(40)}\n`);
    assertEquals(gitCommit(`${dir}/side`), "d".repeat(40));
    await Deno.writeTextFile(`${wt}/HEAD`, `${"e".repeat(40)}\n`);
    assertEquals(gitCommit(`${dir}/side`), "e".repeat(40), "a detached HEAD");
  } finally {
    if (saved) Deno.env.set("GITHUB_SHA", saved);
    await Deno.remove(dir, { recursive: true });
  }
});
