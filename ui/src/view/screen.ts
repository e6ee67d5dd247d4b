// What every screen offers the app: its element, an in-place update, and the
// control that should hold focus when the screen appears.

import type { State } from "../model";

/** UI-only facts that are not part of the model (timers). */
export interface Timing {
  /** A run has been going for 1 s: the stage is worth announcing. */
  stageDue: boolean;
  /** A run has been going for 10 s: show "step n of m". */
  slow: boolean;
}

export interface Screen {
  readonly element: HTMLElement;
  update(state: State, timing: Timing): void;
  /** Where focus goes when this screen replaces another. */
  focusTarget(): HTMLElement | null;
}

export interface Handlers {
  start(): void;
  cancel(): void;
  retry(): void;
  chooseCode(code: string | null): void;
  /**
   * Copies the engine's redacted report for a technician; `ok` false means it
   * is shown for copying by hand; `text` null means it couldn't be prepared
   * and nothing was copied (the UI never makes a text of its own).
   */
  copy(): Promise<{ ok: boolean; text: string | null }>;
  /** Saves the report (names and addresses left out when `redact`); the message says where, or why not. */
  save(redact: boolean): Promise<{ ok: boolean; message: string }>;
  /** Keep this run and get ready to check another network. */
  testOtherNetwork(): void;
  /** Back to the first network's results. */
  keepFirstNetwork(): void;
  /** Forget everything and go back to the start screen. */
  startOver(): void;
  /** Ask before making fix `id` (a catalog id); `opener` gets focus back. */
  openFix(id: string, opener: HTMLElement): void;
  /** Undo a change from the history by its entry id. */
  undoChange(entry: string, opener: HTMLElement): void;
}
