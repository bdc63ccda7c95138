import * as assert from "assert";

describe("runtime", () => {
  it("runs on Node.js 22, the version the pinned `node` devDependency provides to npm scripts", () => {
    const major = Number(process.versions.node.split(".")[0]);
    assert.strictEqual(major, 22, `npm test ran on Node.js ${process.versions.node}`);
  });
});
