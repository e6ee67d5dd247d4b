// The one interface the UI talks to, and its Tauri implementation. Tests swap
// the implementation, or mock the IPC underneath `tauriBackend`.

import { Channel, invoke } from "@tauri-apps/api/core";
import type {
  Comparison,
  ErrorKind,
  FixEvent,
  FixResult,
  Format,
  HistoryEntry,
  IpcError,
  Overview,
  Preview,
  Report,
  RunEvent,
  Suggestion,
} from "./bindings";

export interface Backend {
  overview(): Promise<Overview>;
  startCheck(errorCode: string | null, onEvent: (e: RunEvent) => void): Promise<Report>;
  cancelCheck(): Promise<boolean>;
  /** The report as text; `redact` leaves out names and addresses (passwords and tokens never appear). */
  renderReport(report: Report, format: Format, redact: boolean): Promise<string>;
  /** What "Copy for a technician" copies: the engine's Markdown report, always redacted. */
  technicianReport(report: Report): Promise<string>;
  /** Writes the report into the Downloads folder and returns its path; rejects with kind "save". */
  saveReport(report: Report, format: Format, redact: boolean): Promise<string>;
  /** Two runs side by side: `before` on the first network, `after` on the second. */
  compareReports(before: Report, after: Report): Promise<Comparison>;
  /** The fixes for the last finished check's diagnosis, in repair order (those that can't be done here say why). */
  fixSuggestions(): Promise<Suggestion[]>;
  /** What fix `id` (a catalog id, never a command) would do on this computer now. */
  previewFix(id: string): Promise<Preview>;
  /** Makes fix `id` after the person said yes to it (`confirmed` names it), streaming its progress. */
  applyFix(
    id: string,
    confirmed: string,
    digest: string,
    onEvent: (e: FixEvent) => void,
  ): Promise<FixResult>;
  /** Stops waiting for the administrator prompt. */
  cancelFix(): Promise<boolean>;
  /** Undoes a change from the history by its entry id. */
  undoFix(entry: string, onEvent: (e: FixEvent) => void): Promise<FixResult>;
  /** The changes made, newest first. */
  fixHistory(): Promise<HistoryEntry[]>;
  /** Fix `id` as a script for an administrator shell (for a technician). */
  fixScript(id: string): Promise<string>;
}

export const tauriBackend: Backend = {
  overview: () => invoke<Overview>("overview"),
  startCheck: (errorCode, onEvent) => {
    const channel = new Channel<RunEvent>(onEvent);
    return invoke<Report>("start_check", { errorCode, onEvent: channel });
  },
  cancelCheck: () => invoke<boolean>("cancel_check"),
  renderReport: (report, format, redact) =>
    invoke<string>("render_report", { report, format, redact }),
  technicianReport: (report) => invoke<string>("technician_report", { report }),
  saveReport: (report, format, redact) => invoke<string>("save_report", { report, format, redact }),
  compareReports: (before, after) => invoke<Comparison>("compare_reports", { before, after }),
  fixSuggestions: () => invoke<Suggestion[]>("fix_suggestions"),
  previewFix: (id) => invoke<Preview>("preview_fix", { id }),
  applyFix: (id, confirmed, digest, onEvent) =>
    invoke<FixResult>("apply_fix", {
      id,
      confirmed,
      digest,
      onEvent: new Channel<FixEvent>(onEvent),
    }),
  cancelFix: () => invoke<boolean>("cancel_fix"),
  undoFix: (entry, onEvent) =>
    invoke<FixResult>("undo_fix", { entry, onEvent: new Channel<FixEvent>(onEvent) }),
  fixHistory: () => invoke<HistoryEntry[]>("fix_history"),
  fixScript: (id) => invoke<string>("fix_script", { id }),
};

const KINDS: readonly ErrorKind[] = ["profile", "busy", "save", "fix", "internal"];

export function isIpcError(e: unknown): e is IpcError {
  if (typeof e !== "object" || e === null) return false;
  const { kind, message } = e as Record<string, unknown>;
  return (
    typeof kind === "string" &&
    (KINDS as readonly string[]).includes(kind) &&
    typeof message === "string"
  );
}

/** Any rejection as an IpcError: a string or an Error (e.g. no Tauri at all) is "internal". */
export function toIpcError(e: unknown): IpcError {
  if (isIpcError(e)) return e;
  if (e instanceof Error) return { kind: "internal", message: e.message };
  if (typeof e === "string") return { kind: "internal", message: e };
  try {
    return { kind: "internal", message: JSON.stringify(e) };
  } catch {
    return { kind: "internal", message: String(e) };
  }
}
