/**
 * Test assertions, on top of `node:assert/strict`, with the names of `@std/assert`.
 *
 * JSR (and so `jsr:@std/assert`) is unreachable on our build machines; this is the one module
 * to change when switching: replace the bodies with `export * from "@std/assert"`.
 *
 * @module
 */
import nodeAssert from "node:assert/strict";

/**
 * The optional message as Node's overloads take it: `undefined` keeps Node's own message (the
 * `@types/node` that npm packages bring in declares no `message?: string | undefined` overload).
 */
const m = (msg?: string) => msg as string;

/** Asserts that `cond` is truthy. */
export function assert(cond: unknown, msg?: string): asserts cond {
  nodeAssert.ok(cond, m(msg));
}

/** Deep strict equality. */
export function assertEquals<T>(actual: T, expected: T, msg?: string): void {
  nodeAssert.deepStrictEqual(actual, expected, m(msg));
}

/** Deep strict inequality. */
export function assertNotEquals<T>(actual: T, expected: T, msg?: string): void {
  nodeAssert.notDeepStrictEqual(actual, expected, m(msg));
}

/** `Object.is` equality. */
export function assertStrictEquals<T>(
  actual: T,
  expected: T,
  msg?: string,
): void {
  nodeAssert.strictEqual(actual, expected, m(msg));
}

/** |actual − expected| ≤ tolerance (default 1e-7, as in @std/assert). */
export function assertAlmostEquals(
  actual: number,
  expected: number,
  tolerance = 1e-7,
  msg?: string,
): void {
  if (Object.is(actual, expected)) return;
  const delta = Math.abs(expected - actual);
  if (!(delta <= tolerance)) {
    throw new nodeAssert.AssertionError({
      message: msg ??
        `Expected actual: "${actual}" to be close to "${expected}": delta "${delta}" is greater than "${tolerance}"`,
      actual,
      expected,
    });
  }
}

/** `actual > expected`. */
export function assertGreater(
  actual: number,
  expected: number,
  msg?: string,
): void {
  nodeAssert.ok(actual > expected, msg ?? `Expected ${actual} > ${expected}`);
}

/** `actual < expected`. */
export function assertLess(
  actual: number,
  expected: number,
  msg?: string,
): void {
  nodeAssert.ok(actual < expected, msg ?? `Expected ${actual} < ${expected}`);
}

/** `actual` matches `expected`. */
export function assertMatch(
  actual: string,
  expected: RegExp,
  msg?: string,
): void {
  nodeAssert.match(actual, expected, m(msg));
}

/** `actual` does not match `expected`. */
export function assertNotMatch(
  actual: string,
  expected: RegExp,
  msg?: string,
): void {
  nodeAssert.doesNotMatch(actual, expected, m(msg));
}

/** `fn` throws (an instance of `ErrorClass`, whose message includes `msgIncludes`). */
export function assertThrows<E extends Error = Error>(
  fn: () => unknown,
  // deno-lint-ignore no-explicit-any
  ErrorClass?: new (...args: any[]) => E,
  msgIncludes?: string,
): E {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  return checkThrown(caught, ErrorClass, msgIncludes);
}

/** `fn` rejects (an instance of `ErrorClass`, whose message includes `msgIncludes`). */
export async function assertRejects<E extends Error = Error>(
  fn: () => Promise<unknown>,
  // deno-lint-ignore no-explicit-any
  ErrorClass?: new (...args: any[]) => E,
  msgIncludes?: string,
): Promise<E> {
  let caught: unknown;
  try {
    await fn();
  } catch (e) {
    caught = e;
  }
  return checkThrown(caught, ErrorClass, msgIncludes);
}

function checkThrown<E extends Error>(
  caught: unknown,
  // deno-lint-ignore no-explicit-any
  ErrorClass?: new (...args: any[]) => E,
  msgIncludes?: string,
): E {
  if (caught === undefined) {
    throw new nodeAssert.AssertionError({
      message: "Expected function to throw",
    });
  }
  if (ErrorClass && !(caught instanceof ErrorClass)) {
    throw new nodeAssert.AssertionError({
      message: `Expected error to be instance of "${ErrorClass.name}", got "${
        (caught as Error)?.name
      }": ${(caught as Error)?.message}`,
    });
  }
  if (
    msgIncludes && !String((caught as Error)?.message).includes(msgIncludes)
  ) {
    throw new nodeAssert.AssertionError({
      message: `Expected error message to include "${msgIncludes}", got "${
        (caught as Error)?.message
      }"`,
    });
  }
  return caught as E;
}
