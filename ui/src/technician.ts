// The plain-text summary a person copies for a technician when the backend's
// Markdown report can't be had: when, which app and system, which profile, the
// error code, the outcome and causes, then every check with its status word,
// title, summary and the technical detail indented. No computer or user names.

import type { AppInfo, Overview, ProfileInfo, Report, SystemInfo } from "./bindings";
import { OS_LABEL, OTHER_CODE, STATUS_WORD } from "./labels";
import { countRows, formatElapsed, groupRows, type Row } from "./model";
import type { Outcome } from "./outcome";

export interface TechnicianInput {
  report: Report | null;
  overview: Overview | null;
  rows: readonly Row[];
  errorCode: string | null;
  outcome: Outcome | null;
  /** When the text is made, for runs without a report (ISO 8601). */
  now: string;
}

/** Hides user:password in URLs (a proxy address may carry them). */
export function redact(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi, "$1***@");
}

export function systemText(s: SystemInfo): string {
  return `${OS_LABEL[s.os]} · ${s.os_version ?? "version unknown"} · ${s.arch}`;
}

function appText(a: AppInfo): string {
  return `${a.name} ${a.version}`;
}

function profileText(p: ProfileInfo): string {
  return `${p.name} (${p.source})`;
}

function codeText(code: string | null): string {
  if (code === null) return "none given";
  if (code === OTHER_CODE) return "another code (not listed in the app; ask which)";
  return code;
}

function runText(r: Report): string {
  if (r.run.cancelled) return `stopped by the person after ${formatElapsed(r.run.elapsed_ms)}`;
  const limit = `time limit ${formatElapsed(r.run.deadline_ms)}`;
  return r.run.deadline_hit ? `ran into the ${limit} after ${formatElapsed(r.run.elapsed_ms)}` : `finished in ${formatElapsed(r.run.elapsed_ms)} (${limit})`;
}

function countsText(rows: readonly Row[]): string {
  const c = countRows(rows);
  const parts: string[] = [];
  if (c.pass) parts.push(`${String(c.pass)} OK`);
  if (c.warn) parts.push(`${String(c.warn)} warning${c.warn === 1 ? "" : "s"}`);
  if (c.fail) parts.push(`${String(c.fail)} problem${c.fail === 1 ? "" : "s"}`);
  if (c.unknown) parts.push(`${String(c.unknown)} couldn't check`);
  if (c.skipped) parts.push(`${String(c.skipped)} skipped`);
  if (c.stopped) parts.push(`${String(c.stopped)} not finished`);
  if (c.pending) parts.push(`${String(c.pending)} still running`);
  return parts.join(", ") || "no checks";
}

function indent(text: string, prefix: string): string[] {
  return text
    .split(/\r?\n/)
    .filter((l) => l.trim() !== "")
    .map((l) => prefix + l);
}

export function technicianText(input: TechnicianInput): string {
  const { report, overview, rows, errorCode, outcome } = input;
  const app = report?.app ?? overview?.app;
  const system = report?.system ?? overview?.system;
  const profile = report?.profile ?? overview?.profile;
  const lines: string[] = ["Meeting Doctor — connection check for Zoom", ""];
  const field = (name: string, value: string) => lines.push(`${(name + ":").padEnd(12)}${value}`);
  field("Time", report?.generated_at ?? input.now);
  field("App", app ? appText(app) : "unknown");
  field("System", system ? systemText(system) : "unknown");
  field("Profile", profile ? profileText(profile) : "unknown");
  field("Error code", codeText(errorCode));
  if (report) field("Run", runText(report));
  if (outcome) {
    field("Result", outcome.headline);
    if (outcome.lead) lines.push(" ".repeat(12) + outcome.lead);
  }
  field("Checks", countsText(rows));

  const diagnosis = report?.diagnosis;
  const causes = diagnosis?.causes ?? [];
  if (causes.length > 0) {
    lines.push("", "Likely causes, most likely first:");
    causes.forEach((c, i) => {
      const facts = [c.id, `confidence ${String(Math.round(c.confidence * 100))} %`];
      if (errorCode !== null && c.error_codes.includes(errorCode)) facts.push(`explains ${errorCode}`);
      if (c.quality_only) facts.push("call quality only");
      if (c.evidence.length > 0) facts.push(`checks: ${c.evidence.join(", ")}`);
      lines.push(`  ${String(i + 1)}. ${c.summary} [${facts.join("; ")}]`);
      if (c.steps.length > 0) lines.push(`     Steps: ${c.steps.map((s) => s.title).join("; ")}`);
    });
  }
  if (diagnosis && diagnosis.ruled_out.length > 0) {
    lines.push("", "Checked and fine:", ...diagnosis.ruled_out.map((r) => `  - ${r}`));
  }
  if (diagnosis && diagnosis.next_steps.length > 0) {
    lines.push("", "Suggested next steps:", ...diagnosis.next_steps.map((s, i) => `  ${String(i + 1)}. ${s.title}`));
  }

  for (const g of groupRows(rows)) {
    lines.push("", g.label);
    for (const r of g.rows) {
      const f = r.finding;
      const summary = f ? f.summary : r.status === "pending" ? "still running" : "did not finish";
      lines.push(`  ${STATUS_WORD[r.status].toUpperCase()}: ${r.title} — ${summary} [${r.id}]`);
      if (f) {
        lines.push(...indent(f.detail, "      "));
        lines.push(`      (took ${formatElapsed(f.elapsed_ms)})`);
      }
    }
  }
  return redact(lines.join("\n")) + "\n";
}
