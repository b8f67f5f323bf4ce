/**
 * Checks the scheduled-benchmark workflow (`.github/workflows/benchmark.yml`) and the Kubernetes
 * Indexed Job (`k8s/benchmark-job.yaml`): parsed as YAML, with the triggers, jobs, `needs`,
 * permissions and shard wiring the rest of the project relies on.
 */
import { parse, parseAllDocuments } from "yaml";
import { fileURLToPath } from "node:url";
import { assert, assertEquals, assertMatch } from "../src/testing/assert.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
// deno-lint-ignore no-explicit-any
type Y = any;

const workflow: Y = parse(await Deno.readTextFile(`${ROOT}.github/workflows/benchmark.yml`));
const denoJson: Y = JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`));

/** All `run:` scripts of a job, joined. */
function runs(job: Y): string {
  return job.steps.filter((s: Y) => s.run).map((s: Y) => s.run).join("\n");
}

function uses(job: Y, action: string): Y[] {
  return job.steps.filter((s: Y) => typeof s.uses === "string" && s.uses.startsWith(action + "@"));
}

Deno.test("the workflow runs weekly on a schedule and on demand with suite and shard inputs", () => {
  const cron: string = workflow.on.schedule[0].cron;
  const [min, hour, dom, month, dow] = cron.split(/\s+/);
  assertEquals(cron.split(/\s+/).length, 5);
  assertMatch(min, /^\d+$/);
  assertMatch(hour, /^\d+$/);
  assertEquals([dom, month], ["*", "*"]);
  assertMatch(dow, /^[0-6]$/, "one day a week");
  const inputs = workflow.on.workflow_dispatch.inputs;
  assertEquals(Object.keys(inputs).sort(), ["shards", "suite"]);
  assertEquals(inputs.suite.default, "standard");
  assertMatch(workflow.env.SUITE, /inputs\.suite \|\| 'standard'/, "scheduled runs get a default");
});

Deno.test("the jobs are plan → train (matrix per shard) → merge → report → deploy", () => {
  const j = workflow.jobs;
  assertEquals(Object.keys(j), ["plan", "train", "merge", "report", "deploy"]);
  const needs = (name: string) => [j[name].needs ?? []].flat();
  assertEquals(needs("train"), ["plan"]);
  assertEquals(needs("merge").sort(), ["plan", "train"]);
  assertEquals(needs("report"), ["merge"]);
  assertEquals(needs("deploy"), ["report"]);
  assertEquals(j.train.strategy.matrix.shard, "${{ fromJSON(needs.plan.outputs.indices) }}");
  assertEquals(j.train.strategy["fail-fast"], false);
});

Deno.test("the plan step turns the shard count into the matrix's indices 1…N, and rejects bad counts", async () => {
  const script: string = workflow.jobs.plan.steps[0].run;
  assertMatch(workflow.jobs.plan.steps[0].env.SHARDS, /inputs\.shards \|\| '64'/);
  const dir = await Deno.makeTempDir({ prefix: "rnn-gradbench-plan-" });
  try {
    for (
      const [shards, code, out] of [
        ["3", 0, "count=3\nindices=[1,2,3]\n"],
        ["1", 0, "count=1\nindices=[1]\n"],
        ["x", 2, ""],
        ["0", 2, ""],
      ] as const
    ) {
      const outFile = `${dir}/out-${shards}`;
      await Deno.writeTextFile(outFile, "");
      const r = await new Deno.Command("bash", {
        args: ["-c", script],
        env: { SHARDS: shards, GITHUB_OUTPUT: outFile },
        stdout: "null",
        stderr: "piped",
      }).output();
      assertEquals(r.code, code, `SHARDS=${shards}`);
      assertEquals(await Deno.readTextFile(outFile), out);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("each train job sets up Deno and the cached backend, trains its shard and uploads it", () => {
  const t = workflow.jobs.train;
  assertEquals(uses(t, "denoland/setup-deno").length, 1);
  const cache = uses(t, "actions/cache")[0].with;
  for (const p of ["~/.cache/rnn-gradbench", "~/.cache/deno"]) assert(cache.path.includes(p), p);
  assertMatch(cache.key, /hashFiles\('deno\.lock'\)/);
  const script = runs(t);
  assertMatch(script, /deno task setup --route wheel/, "the measured TensorFlow, pinned");
  assert(script.indexOf("deno task setup") < script.indexOf("deno task train"), "setup first");
  assertMatch(script, /deno task train --suite "\$SUITE"/);
  assertMatch(script, /--shard \$\{\{ matrix\.shard \}\}\/\$\{\{ needs\.plan\.outputs\.count \}\}/);
  // The train task may only write under reports/ (deno.json), so its --out must be there.
  const out = script.match(/--out (\S+)/)![1];
  assertMatch(out, /^reports\//);
  assertMatch(denoJson.tasks.train.command, /--allow-write=reports[,\s]/);
  const upload = uses(t, "actions/upload-artifact")[0].with;
  // A shard out of time stops before the job's limit and keeps (uploads) what it finished.
  const trainStep = t.steps.find((s: Y) => /deno task train/.test(s.run ?? ""));
  assert(trainStep["timeout-minutes"] < t["timeout-minutes"], "the step stops before the job");
  assertEquals(trainStep["continue-on-error"], true);
  assertEquals(upload.name, "shard-${{ matrix.shard }}");
  assertEquals(upload.path.replace(/\/$/, ""), out);
});

Deno.test("merge downloads every shard into its own folder, merges, keeps artifacts and appends to history", () => {
  const m = workflow.jobs.merge;
  const dl = uses(m, "actions/download-artifact")[0].with;
  assertEquals(dl.pattern, "shard-*");
  assert(
    dl["merge-multiple"] !== true,
    "shard files share a name: each artifact needs its own folder",
  );
  const script = runs(m);
  assertMatch(script, new RegExp(`deno task merge --out reports/results ${dl.path}`));
  assertEquals(m.permissions.contents, "write");
  assertMatch(script, /git -C history-branch push origin history/);
  assertMatch(script, /runs\/\$\(date -u \+%Y-%m-%dT%H%MZ\)-\$\{GITHUB_SHA::7\}/);
  const names = uses(m, "actions/upload-artifact").map((u) => u.with.name);
  assertEquals(names, ["results", "history"]);
});

Deno.test("the report job builds reports/site and the deploy job publishes it to Pages", () => {
  const r = workflow.jobs.report;
  assertMatch(runs(r), /deno task report/);
  const downloads = uses(r, "actions/download-artifact").map((u) => u.with.name);
  assertEquals(downloads, ["results", "history"]);
  assertEquals(uses(r, "actions/upload-pages-artifact")[0].with.path, "reports/site");
  // The site carries the records it was built from (FINDINGS.md and index.html come from the
  // report task), so a reader can rebuild it: `deno task report --results site/results`.
  const script = runs(r);
  assert(
    script.indexOf("deno task report") <
      script.indexOf("cp reports/results/*.jsonl reports/site/results/"),
    "records copied into the site after the report is built",
  );
  const d = workflow.jobs.deploy;
  assertEquals(d.permissions, { pages: "write", "id-token": "write" });
  assertEquals(d.environment.name, "github-pages");
  assertEquals(uses(d, "actions/deploy-pages").length, 1);
  assertEquals(workflow.permissions, { contents: "read" }, "least privilege by default");
});

Deno.test("every deno task the workflow runs exists in deno.json", () => {
  const all = Object.values(workflow.jobs).map((j: Y) => runs(j)).join("\n");
  const used = [...new Set([...all.matchAll(/deno task (\w+)/g)].map((m) => m[1]))].sort();
  assertEquals(used, ["merge", "report", "setup", "train"]);
  for (const t of used) assert(t in denoJson.tasks, `deno.json has no task '${t}'`);
});

Deno.test("the Kubernetes Job is Indexed, its shard count equals its completions, and results go to a volume", async () => {
  const docs = parseAllDocuments(await Deno.readTextFile(`${ROOT}k8s/benchmark-job.yaml`));
  for (const d of docs) assertEquals(d.errors, []);
  const objs: Y[] = docs.map((d) => d.toJS());
  const job = objs.find((o) => o.kind === "Job")!;
  assertEquals(job.apiVersion, "batch/v1");
  assertEquals(job.spec.completionMode, "Indexed");
  assert(Number.isInteger(job.spec.completions) && job.spec.completions > 1);
  assert(job.spec.parallelism >= 1 && job.spec.parallelism <= job.spec.completions);
  const pod = job.spec.template.spec;
  assertEquals(pod.restartPolicy, "Never");
  const c = pod.containers[0];
  const env = Object.fromEntries(c.env.map((e: Y) => [e.name, e.value]));
  assertEquals(env.RNN_GRADBENCH_SHARD_COUNT, String(job.spec.completions));
  const cmd = [...c.command, ...c.args].join(" ");
  assertMatch(cmd, /deno task train --suite standard/);
  assert(!cmd.includes("--shard"), "the shard comes from JOB_COMPLETION_INDEX");
  const out = cmd.match(/--out "([^"]+)"/)![1];
  assertMatch(out, /^reports\/shards\/shard-\$\$\(\(JOB_COMPLETION_INDEX \+ 1\)\)$/);
  const mount = c.volumeMounts[0];
  assertEquals(`${c.workingDir}/${out}`.startsWith(mount.mountPath + "/"), true);
  const vol = pod.volumes.find((v: Y) => v.name === mount.name);
  const pvc = objs.find((o) => o.kind === "PersistentVolumeClaim")!;
  assertEquals(vol.persistentVolumeClaim.claimName, pvc.metadata.name);
  assert(pvc.spec.accessModes.includes("ReadWriteMany"), "pods on many nodes write to it");
  const dockerfile = await Deno.readTextFile(`${ROOT}k8s/Dockerfile`);
  assertMatch(dockerfile, /WORKDIR \/app/);
  assertMatch(dockerfile, /RUN deno task setup --route wheel/);
});

Deno.test("the report job's summary opens with the headline and stops before the captions", async () => {
  const steps: Y[] = workflow.jobs.report.steps;
  const at = steps.findIndex((s) => /GITHUB_STEP_SUMMARY/.test(s.run ?? ""));
  assert(at > steps.findIndex((s) => s.run === "deno task report"), "after the report is built");
  // Run the step's script on the committed reference report's FINDINGS.md.
  const dir = await Deno.makeTempDir({ prefix: "rnn-gradbench-summary-" });
  try {
    await Deno.mkdir(`${dir}/reports/site`, { recursive: true });
    await Deno.copyFile(`${ROOT}docs/reference/FINDINGS.md`, `${dir}/reports/site/FINDINGS.md`);
    const out = await new Deno.Command("bash", {
      args: ["-c", steps[at].run],
      cwd: dir,
      env: { GITHUB_STEP_SUMMARY: `${dir}/summary.md` },
    }).output();
    assertEquals(out.code, 0, new TextDecoder().decode(out.stderr));
    const summary = await Deno.readTextFile(`${dir}/summary.md`);
    assertMatch(summary, /^# .*\n\n.*\n\n## Headline\n\n- /);
    assertMatch(summary, /\| cell \| task \| memory horizon/);
    assert(!summary.includes("## Chart captions"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
