/**
 * `npm run -s stacks`: the stacks of this project, one JSON array of names read from its
 * `Pulumi.<stack>.yaml` files, so the workflows preview every stack there is (a new environment is a new
 * stack file, not a workflow edit).
 */
import { PROJECT_DIR } from "../plan";
import { listStacks } from "../plan/stackFiles";

process.stdout.write(`${JSON.stringify(listStacks(PROJECT_DIR))}\n`);
