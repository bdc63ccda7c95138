/**
 * Offline KQL check with Microsoft's Kusto language service (@kusto/language-service-next, the Bridge.NET
 * build of Kusto.Language): parse and analyze a query against declared tables and return its errors.
 */
import * as path from "path";

/** One problem the analyzer reports. */
export interface KqlDiagnostic {
  /** `Error`, `Warning`, ... */
  severity: string;
  /** The analyzer's code, e.g. KS142 (unknown name). */
  code: string;
  /** The analyzer's message. */
  message: string;
  /** Offset of the problem in the query. */
  start: number;
}

type Kusto = any;
let kusto: Kusto | undefined;

/** Loads the Bridge runtime and the Kusto language library once (they define globals). */
function load(): Kusto {
  if (!kusto) {
    const dir = path.dirname(require.resolve("@kusto/language-service-next/package.json"));
    require(path.join(dir, "bridge.js"));
    require(path.join(dir, "Kusto.Language.Bridge.js"));
    kusto = (globalThis as any).Kusto.Language;
  }
  return kusto;
}

/** A database holding the given tables (name to `(Column:type, ...)` schema). */
export function globalsWith(tables: Record<string, string>): unknown {
  const K = load();
  const symbols = Object.entries(tables).map(([name, schema]) => new K.Symbols.TableSymbol.$ctor7(name, schema, null));
  return K.GlobalState.Default.WithDatabase(new K.Symbols.DatabaseSymbol.$ctor1("workspace", symbols));
}

/** Every diagnostic of a query analyzed against the globals. */
export function diagnose(query: string, globals: unknown): KqlDiagnostic[] {
  const K = load();
  const code = K.KustoCode.ParseAndAnalyze(query, globals);
  const list = code.GetDiagnostics();
  const out: KqlDiagnostic[] = [];
  for (let i = 0; i < list.Count; i++) {
    const d = list.getItem(i);
    out.push({ severity: String(d.Severity), code: String(d.Code), message: String(d.Message), start: Number(d.Start) });
  }
  return out;
}

/** The error-level diagnostics only. */
export function kqlErrors(query: string, globals: unknown): KqlDiagnostic[] {
  return diagnose(query, globals).filter((d) => d.severity === "Error");
}

/** The tables a query references, among the declared ones (by name, outside comments and strings). */
export function tablesReadBy(query: string, tables: Record<string, string>): string[] {
  const code = query.replace(/\/\/.*$/gm, "").replace(/"(?:[^"\\]|\\.)*"/g, '""');
  return Object.keys(tables).filter((t) => new RegExp(`\\b${t}\\b`).test(code)).sort();
}
