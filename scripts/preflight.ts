/**
 * `npm run preflight -- --stack <name> [--format text|json] [--arm-endpoint <url>] [--graph-endpoint <url>]`:
 * read-only checks of the tenant before `pulumi up` (see ops/preflight). Exit 0 ok, 1 problems, 2 usage.
 */
import { main } from "../ops/lib/cli";

main("preflight");
