/**
 * The audit trail's KQL files, checked offline with Microsoft's Kusto language service against the
 * documented columns of the tables they read (test/lib/logTables.ts).
 */
import * as assert from "assert";
import { AUDIT_ALERTS } from "../../rules/audit/alerts";
import { KqlTemplateError, kqlLiteral, listQueries, placeholdersOf, readQuery, renderQuery } from "../../components/lib/audit/kql";
import { LOG_TABLES, SAMPLE_VALUES } from "../lib/logTables";
import { globalsWith, kqlErrors, tablesReadBy } from "../lib/kusto";

const ENTRA_TABLES = ["AuditLogs", "AADServicePrincipalSignInLogs", "AADManagedIdentitySignInLogs"];
const globals = globalsWith(LOG_TABLES);

/** A query file with its placeholders filled by sample values of the shapes the graph gives. */
function rendered(file: string): string {
  const template = readQuery(file);
  return renderQuery(template, Object.fromEntries(placeholdersOf(template).map((p) => [p, SAMPLE_VALUES[p]])), file);
}

describe("audit KQL files (audit/queries), checked offline", () => {
  const files = listQueries();

  it("finds every alert's file and the investigators' queries", () => {
    for (const alert of AUDIT_ALERTS) assert.ok(files.includes(alert.file), alert.file);
    assert.ok(files.filter((f) => f.startsWith("investigate/")).length >= 3, files.join(", "));
  });

  for (const file of listQueries()) {
    it(`${file} parses and analyzes with no error against the declared tables`, () => {
      const query = rendered(file);
      assert.deepStrictEqual(kqlErrors(query, globals), [], query);
      assert.ok(tablesReadBy(query, LOG_TABLES).length > 0, "reads at least one declared table");
    });
  }

  it("the checker really checks: a misspelt column, an unknown table, a syntax error and an unknown function are reported", () => {
    const good = rendered("alerts/caller-refusal-burst.kql");
    const broken = {
      column: good.replace("PodNamespace ==", "PodNamespaces =="),
      table: good.replace("ContainerLogV2", "ContainerLogsV2"),
      syntax: good.replace("| where tostring", "| wher tostring"),
      func: good.replace("tostring(LogMessage.event)", "to_string(LogMessage.event)"),
    };
    assert.match(kqlErrors(broken.column, globals).map((e) => e.message).join("\n"), /'PodNamespaces' does not refer to any known column/);
    assert.match(kqlErrors(broken.table, globals).map((e) => e.message).join("\n"), /'ContainerLogsV2' does not refer to any known table/);
    assert.ok(kqlErrors(broken.syntax, globals).length > 0, "syntax error reported");
    assert.ok(kqlErrors(broken.func, globals).length > 0, "unknown function reported");
    // Without the declared tables, the good query fails too: the check depends on the schema.
    assert.ok(kqlErrors(good, globalsWith({})).length > 0);
  });

  it("the checker refuses a column the documented schema does not have (AuditLogs has no Caller)", () => {
    assert.match(kqlErrors("AuditLogs | where Caller == 'x'", globals)[0].message, /'Caller'/);
  });

  for (const alert of AUDIT_ALERTS) {
    it(`${alert.name} reads only ${alert.source === "entra" ? "Entra ID" : "the stack's workspace"} tables, so one workspace answers it`, () => {
      const tables = tablesReadBy(readQuery(alert.file), LOG_TABLES);
      assert.ok(tables.length > 0);
      for (const t of tables) assert.strictEqual(ENTRA_TABLES.includes(t), alert.source === "entra", `${alert.file} reads ${t}`);
    });
  }
});

describe("filling a query template with the graph's values", () => {
  it("writes lists as dynamic arrays and strings as escaped KQL literals", () => {
    assert.strictEqual(kqlLiteral(["a", 'b"c', "d\\e"]), 'dynamic(["a", "b\\"c", "d\\\\e"])');
    assert.strictEqual(renderQuery("let ns = {{NAMESPACE}};\nT | where X == ns", { NAMESPACE: "agents" }), 'let ns = "agents";\nT | where X == ns');
    // The escaped literal still parses as one string.
    assert.deepStrictEqual(kqlErrors(`print x = ${kqlLiteral('a"b\\c')}`, globals), []);
  });

  it("refuses a template whose value is missing, a value no placeholder uses, and control characters", () => {
    assert.throws(() => renderQuery("let a = {{AGENT_IDS}}; print a", {}, "x.kql"), (e: KqlTemplateError) => e.code === "ERR_KQL_TEMPLATE" && /x\.kql needs \{\{AGENT_IDS\}\}/.test(e.message));
    assert.throws(() => renderQuery("print 1", { AGENT_IDS: [] }), /no placeholder for AGENT_IDS/);
    assert.throws(() => kqlLiteral("a\nb"), /control character/);
  });

  it("an empty list still gives a valid query (a stack without sensitive roles)", () => {
    const template = readQuery("alerts/standing-sensitive-role.kql");
    assert.deepStrictEqual(kqlErrors(renderQuery(template, { SENSITIVE_ROLE_IDS: [] }), globals), []);
  });
});
