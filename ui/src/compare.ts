// The comparison of two runs ("does it work on a hotspot?") in words: the
// engine's meaning first, then each network with what was found there, then
// every check whose result changed, as "Title: before → after" in words.

import type { Cause, Change, Comparison, Report, RunSummary, Status, Verdict } from "./bindings";
import { STATUS_WORD, causeLabel } from "./labels";
import type { Tone } from "./outcome";

export interface NetworkView {
  /** "First network" or "Second network". */
  label: string;
  /** "Wi-Fi (HomeNet)" when the run knew, else null. */
  name: string | null;
  generatedAt: string;
  /** What stops Zoom there, in the engine's words, best first. */
  problems: string[];
  /** Call-quality warnings there. */
  alsoNoticed: string[];
}

export interface ChangeView {
  id: string;
  title: string;
  before: Status;
  after: Status;
  /** "Secure connection to Zoom: Problem → OK". */
  text: string;
  beforeSummary: string;
  afterSummary: string;
}

export interface ComparisonView {
  tone: Tone;
  headline: string;
  /** What to do about it, under the headline. */
  advice: string;
  networks: [NetworkView, NetworkView];
  changes: ChangeView[];
}

const VERDICT_TONE: Record<Verdict, Tone> = {
  first_network_blocks: "warning",
  second_network_blocks: "warning",
  same_on_both: "problem",
  different_problems: "problem",
  both_fine: "ok",
};

export function changeText(c: Pick<Change, "title" | "before" | "after">): string {
  return `${c.title}: ${STATUS_WORD[c.before]} → ${STATUS_WORD[c.after]}`;
}

/** "Wi-Fi (HomeNet)", or "the first network" when the run didn't know. */
export function networkName(s: RunSummary, index: 0 | 1): string {
  return s.network ?? (index === 0 ? "the first network" : "the second network");
}

function networkView(label: string, s: RunSummary, report: Report | null): NetworkView {
  const known = new Map<string, Cause>((report?.diagnosis.causes ?? []).map((c) => [c.id, c]));
  const problems: string[] = [];
  const alsoNoticed: string[] = [];
  for (const id of s.causes) {
    const c = known.get(id);
    (c?.quality_only ? alsoNoticed : problems).push(c?.summary ?? `${causeLabel(id)}.`);
  }
  return { label, name: s.network, generatedAt: s.generated_at, problems, alsoNoticed };
}

export function comparisonView(
  c: Comparison,
  first: Report | null,
  second: Report | null,
): ComparisonView {
  return {
    tone: VERDICT_TONE[c.verdict],
    headline: c.meaning,
    advice: c.advice,
    networks: [
      networkView("First network", c.before, first),
      networkView("Second network", c.after, second),
    ],
    changes: c.changes.map((ch) => ({
      id: ch.id,
      title: ch.title,
      before: ch.before,
      after: ch.after,
      text: changeText(ch),
      beforeSummary: ch.before_summary,
      afterSummary: ch.after_summary,
    })),
  };
}

/** "06:19" in the person's time, or "" for a time that can't be read. */
export function clockTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? ""
    : d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}
