import { assertEquals, assertMatch } from "../src/testing/assert.ts";
import { runScript } from "../src/testing/run_script.ts";
import { readStamp, setupPaths, TF_WHEEL_VERSION } from "../src/setup/provision.ts";

const setup = (args: string[]) =>
  runScript("tasks/setup.ts", [
    "--allow-read",
    "--allow-write=node_modules",
    "--allow-env",
    "--allow-sys",
    "--allow-run",
  ], args);

Deno.test("setup --help lists its routes", async () => {
  const r = await setup(["--help"]);
  assertEquals(r.code, 0);
  assertMatch(r.stdout, /--route auto\|official\|wheel\|dir/);
});

Deno.test("setup rejects an unknown flag with one line and exit 2", async () => {
  const r = await setup(["--bogus"]);
  assertEquals(r.code, 2);
  assertEquals(r.stderr.trim().split("\n").length, 1);
  assertMatch(r.stderr, /bogus/);
});

Deno.test("setup rejects an unknown route and a missing libtensorflow folder", async () => {
  const bad = await setup(["--route", "magic"]);
  assertEquals(bad.code, 2);
  assertMatch(bad.stderr, /--route must be one of auto, official, wheel, dir/);
  const missing = await setup(["--libtensorflow", "/nonexistent/libtf"]);
  assertEquals(missing.code, 2);
  assertMatch(missing.stderr, /not a folder/);
});

Deno.test("setup on a provisioned machine is a fast no-op that names its route", async () => {
  const r = await setup([]);
  assertEquals(r.code, 0);
  assertMatch(
    r.stderr,
    /tensorflow backend ready \(TensorFlow [\d.]+, route: (official|wheel|dir)\)/,
  );
});

// Where the measured wheel is already provisioned (always in CI: .ci/run pins it), pinning it
// again is a no-op; elsewhere this would download it, so the test leaves such machines alone.
const stamp = readStamp(setupPaths());
Deno.test({
  name: `setup --route wheel keeps the provisioned tensorflow-cpu ${TF_WHEEL_VERSION}`,
  ignore: stamp?.route !== "wheel" && Deno.env.get("CI") !== "true",
  async fn() {
    const r = await setup(["--route", "wheel"]);
    assertEquals(r.code, 0, r.stderr);
    assertMatch(
      r.stderr,
      new RegExp(
        `tensorflow backend ready \\(TensorFlow ${
          TF_WHEEL_VERSION.replaceAll(".", "\\.")
        }, route: wheel\\)`,
      ),
    );
  },
});
