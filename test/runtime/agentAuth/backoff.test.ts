import * as assert from "assert";
import * as path from "path";
import type * as Backoff from "../../../runtime/agent-auth/dist/lib/backoff";
import { PROJECT_DIR } from "../../../plan";

// An internal helper: the package's `exports` keep it private, so the test loads the compiled file itself.
const { backoffDelayMs } = require(path.join(PROJECT_DIR, "runtime", "agent-auth", "dist", "lib", "backoff.js")) as typeof Backoff;

describe("the key-set backoff schedule", () => {
  it("waits the minimum after one failure, doubles per failure, and stops at the cap", () => {
    assert.deepStrictEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => backoffDelayMs(n, 1_000, 300_000)), [0, 1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000]);
  });

  it("stays finite and capped after any number of failures", () => {
    assert.strictEqual(backoffDelayMs(10_000, 1_000, 300_000), 300_000);
  });
});
