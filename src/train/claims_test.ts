import { assert, assertEquals } from "../testing/assert.ts";
import {
  claimPath,
  claimRun,
  clearStaleClaim,
  readClaim,
  releaseClaim,
  thisProcess,
  withFolderLock,
  withFolderReadLock,
} from "./claims.ts";

const LOCKER = `
const [path] = Deno.args;
const libc = Deno.dlopen("libc.so.6", {
  open: { parameters: ["buffer", "i32"], result: "i32" },
  flock: { parameters: ["i32", "i32"], result: "i32" },
}).symbols;
const fd = libc.open(new TextEncoder().encode(path + "\\0"), 2);
console.log(libc.flock(fd, 6) === 0 ? "locked" : "busy");
await new Promise((r) => setTimeout(r, 60_000));
`;

Deno.test("a run is claimed once: a live claim wins, one whose process died is taken over", async () => {
  const out = await Deno.makeTempDir();
  const path = claimPath(out, "quick-0123456789ab", "f".repeat(64));
  await Deno.mkdir(`${out}/claims`, { recursive: true });
  const me = thisProcess();
  assertEquals(await claimRun(path, me), { claimed: true, stale: null });
  assertEquals(await claimRun(path, me), { claimed: true, stale: null }, "ours already");
  assertEquals((await readClaim(path))?.alive, true);
  await releaseClaim(path);
  assertEquals(await readClaim(path), null, "released: the file is gone");
  if (Deno.build.os !== "linux") return;
  // Another process holds the claim (a child that takes the flock), then dies by SIGKILL.
  const other = { pid: 4242, host: "elsewhere", started: "2026-01-01T00:00:00Z" };
  await Deno.writeTextFile(path, JSON.stringify(other));
  const script = `${out}/locker.ts`;
  await Deno.writeTextFile(script, LOCKER);
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-ffi", "--allow-read", script, path],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = child.stdout.getReader();
  assertEquals(new TextDecoder().decode((await reader.read()).value).trim(), "locked");
  assertEquals(await readClaim(path), { holder: other, alive: true });
  assertEquals(await claimRun(path, me), { claimed: false, holder: other });
  await clearStaleClaim(path);
  assert(await Deno.stat(path), "a live claim is not cleared");
  child.kill("SIGKILL");
  await child.status;
  reader.releaseLock();
  await child.stdout.cancel();
  assertEquals(await readClaim(path), { holder: other, alive: false });
  assertEquals(await claimRun(path, me), { claimed: true, stale: other });
  assertEquals((await readClaim(path))?.holder, me);
  await releaseClaim(path);
  // a claim left by a dead process, even torn, is cleared
  await Deno.writeTextFile(path, '{"pid": 12');
  await clearStaleClaim(path);
  assertEquals(await readClaim(path), null);
});

Deno.test("the folder lock serialises its holders", async () => {
  const out = await Deno.makeTempDir();
  const log: string[] = [];
  const hold = (name: string) =>
    withFolderLock(out, async () => {
      log.push(`${name}+`);
      await new Promise((r) => setTimeout(r, 30));
      log.push(`${name}-`);
    });
  await Promise.all([hold("a"), hold("b"), hold("c")]);
  for (let i = 0; i < log.length; i += 2) assertEquals(log[i].slice(0, 1), log[i + 1].slice(0, 1));
});

Deno.test("readers share the folder lock and wait for its writer; no lock file, no wait", async () => {
  const out = await Deno.makeTempDir();
  let ran = false;
  assertEquals(await withFolderReadLock(out, () => Promise.resolve(ran = true)), true);
  assert(ran, "a folder without claims is read at once");
  const log: string[] = [];
  // Each reader stays until both are in (or 2 s pass, which exclusive locks would need): shared
  // locks overlap however slowly the machine wakes the second reader.
  const both = () => log.filter((l) => l.startsWith("r") && l.endsWith("+")).length === 2;
  const reader = (name: string) =>
    withFolderReadLock(out, async () => {
      log.push(`${name}+`);
      for (let i = 0; i < 200 && !both(); i++) await new Promise((r) => setTimeout(r, 10));
      log.push(`${name}-`);
    });
  let readers: Promise<unknown> = Promise.resolve();
  await withFolderLock(out, async () => {
    log.push("w+");
    readers = Promise.all([reader("r1"), reader("r2")]);
    await new Promise((r) => setTimeout(r, 30));
    log.push("w-");
  });
  await readers;
  assertEquals(log.slice(0, 2), ["w+", "w-"], "readers wait for the writer");
  assertEquals(log.slice(2, 4).sort(), ["r1+", "r2+"], "readers overlap");
});
