/**
 * `npm run doctor -- --stack <name> [--agent <name>] [--context <ctx>] [--format text|json]`: read-only
 * comparison of the deployed agents with the plan (see ops/doctor). Exit 0 ok, 1 problems, 2 usage.
 */
import { main } from "../ops/lib/cli";

main("doctor");
