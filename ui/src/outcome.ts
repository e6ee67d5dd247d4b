// The outcome of a run in plain words: one headline sentence, then what to do
// next. The engine's diagnosis leads: its headline, the most likely cause with
// its first step, the other causes, and the call-quality warnings apart. When
// the diagnosis has nothing to say about red rows (or there is none), the
// headline is derived from the findings, lowest layer first. "Couldn't check"
// is never counted as a problem or as OK.

import type { Cause, Finding, Report, Step } from "./bindings";
import { OTHER_CODE, codeMeaning } from "./labels";
import { groupRows, type Row } from "./model";

export type Tone = "problem" | "warning" | "ok" | "unknown" | "stopped";

export interface Outcome {
  tone: Tone;
  /** One sentence, plain words: what is wrong (and what to do first). */
  headline: string;
  /** The most likely cause: its explanation and first step come right under the headline. */
  top: Cause | null;
  /** The other causes that can stop Zoom from connecting, best first. */
  others: Cause[];
  /** Warnings about how well calls work rather than whether Zoom connects: "Also noticed". */
  alsoNoticed: Cause[];
  /** A second sentence that makes the headline concrete (the first problem), if any. */
  lead: string | null;
  /** The chosen Zoom error code in words, when nothing else on the screen explains it. */
  codeLine: string | null;
  /** When no cause explains the person's error code: what the code means… */
  codeMeaning: string | null;
  /** …what was checked and is fine… */
  ruledOut: string[];
  /** …and what to try next. */
  nextSteps: Step[];
  /** What to do next, one plain line each, when there are no steps from the diagnosis. */
  next: string[];
  /** The honest count of what couldn't be checked, if anything. */
  unknownNote: string | null;
}

const HELP_DESK =
  "If it still fails, use “Copy for a technician” below and send the text to your help desk.";

function plural(n: number, one: string, many: string): string {
  return n === 1 ? one : many.replace("N", String(n));
}

function unknownNote(n: number): string | null {
  if (n === 0) return null;
  return plural(
    n,
    "1 check couldn't be done. It's marked “Couldn't check” below with the reason; it isn't counted as a problem.",
    "N checks couldn't be done. They're marked “Couldn't check” below with the reason; they aren't counted as problems.",
  );
}

function codeLine(code: string | null, tone: Tone): string | null {
  if (code === null) return null;
  if (code === OTHER_CODE)
    return "You saw another error code: tell your help desk which one when you send them the details.";
  const why: Record<Tone, string> = {
    problem: " The problem above is the likely reason.",
    warning: " A weak connection can cause it.",
    ok: " Nothing here blocks Zoom now, so try joining again.",
    unknown: "",
    stopped: "",
  };
  return `You saw error ${code}: ${codeMeaning(code)}.${why[tone]}`;
}

interface Rule {
  tone: Tone;
  headline: string;
  lead: string | null;
  next: string[];
  /** The headline is the engine's, which already speaks to the error code. */
  fromDiagnosis?: boolean;
  top?: Cause;
  others?: Cause[];
  alsoNoticed?: Cause[];
}

function ruleFor(findings: readonly Finding[], report: Report | null): Rule {
  const fails = findings.filter((f) => f.status === "fail");
  const warns = findings.filter((f) => f.status === "warn");
  const passes = findings.filter((f) => f.status === "pass");
  const failed = (id: string) => fails.some((f) => f.id === id);

  if (report?.run.cancelled) {
    return {
      tone: "stopped",
      headline: "The check was stopped before it finished.",
      lead:
        fails.length > 0
          ? `${plural(fails.length, "1 problem", "N problems")} found so far: ${fails[0].summary}`
          : findings.length > 0
            ? "No problem so far, but the checks that didn't finish may matter."
            : "No check had finished yet.",
      next: ["Check again to get a full answer; it takes a few seconds."],
    };
  }

  const diagnosis = report?.diagnosis;
  const causes = diagnosis?.causes ?? [];
  if (causes.length > 0) {
    const [top, ...rest] = causes;
    return {
      tone: top.quality_only ? "warning" : "problem",
      headline: diagnosis?.headline.trim() ? diagnosis.headline : top.summary,
      lead: null,
      next: top.steps.length > 0 ? [] : [HELP_DESK],
      fromDiagnosis: true,
      top,
      others: rest.filter((c) => !c.quality_only),
      alsoNoticed: rest.filter((c) => c.quality_only),
    };
  }

  if (failed("internet")) {
    return {
      tone: "problem",
      headline: "Zoom can't connect because this computer can't reach the internet.",
      lead: null,
      next: [
        "Check that Wi-Fi is turned on and connected, or that the network cable is plugged in.",
        "Restart your router if you can, wait a minute, then check again.",
      ],
    };
  }
  if (failed("captive_portal")) {
    return {
      tone: "problem",
      headline: "This network wants you to sign in on a web page before Zoom can connect.",
      lead: null,
      next: [
        "Open a web browser and visit any website; the sign-in page should appear.",
        "Sign in or accept the terms there, then check again.",
      ],
    };
  }
  if (failed("dns.system")) {
    return {
      tone: "problem",
      headline: "Zoom can't connect because this computer can't look up Zoom's servers by name.",
      lead: null,
      next: [
        "Restart your router if you can, wait a minute, then check again.",
        "If that doesn't help, try another network such as a phone hotspot, or ask your internet provider or network admin to check name lookup (DNS).",
      ],
    };
  }
  if (fails.length > 0) {
    return {
      tone: "problem",
      headline: plural(
        fails.length,
        "We found a problem that can stop Zoom from connecting.",
        "We found N problems that can stop Zoom from connecting.",
      ),
      lead: fails[0].summary,
      next: [
        "Try another network, such as a phone hotspot: if Zoom works there, this network is blocking it.",
        "Give the details to your help desk or network admin: use “Copy for a technician” below.",
      ],
    };
  }
  if (passes.length === 0 && warns.length === 0) {
    return {
      tone: "unknown",
      headline: "We couldn't check whether Zoom can connect from here.",
      lead: null,
      next: ["Check again in a minute.", HELP_DESK],
    };
  }
  if (diagnosis?.headline) {
    // Nothing blocks Zoom. With an error code, the diagnosis says what was ruled out and what to try.
    return {
      tone: "ok",
      headline: diagnosis.headline,
      lead: null,
      next:
        diagnosis.next_steps.length > 0
          ? []
          : [
              "If Zoom still shows an error, quit the Zoom app completely and open it again.",
              HELP_DESK,
            ],
      fromDiagnosis: true,
    };
  }
  if (warns.length > 0) {
    return {
      tone: "warning",
      headline: "Zoom should connect, but the call may be poor.",
      lead: warns[0].summary,
      next: [
        "For a steadier call, move closer to your Wi-Fi router or use a network cable.",
        "Pause downloads, streaming and other video calls on this network during the meeting.",
      ],
    };
  }
  return {
    tone: "ok",
    headline: "Zoom should be able to connect from here.",
    lead: null,
    next: [
      "If Zoom still shows an error, quit the Zoom app completely and open it again.",
      HELP_DESK,
    ],
  };
}

/** The outcome of a finished (or stopped) run. */
export function outcome(
  rows: readonly Row[],
  report: Report | null,
  errorCode: string | null,
): Outcome {
  // Display order, so "the first problem" is the one highest in the list.
  const findings = groupRows(rows).flatMap((g) =>
    g.rows.flatMap((r) => (r.finding ? [r.finding] : [])),
  );
  const rule = ruleFor(findings, report);
  const diagnosis = rule.tone === "stopped" ? null : (report?.diagnosis ?? null);
  // The engine's headline already names a real code; "another code" is only known here.
  const spokenFor =
    rule.fromDiagnosis === true && errorCode !== OTHER_CODE && diagnosis?.error_code != null;
  const unexplained =
    rule.fromDiagnosis === true &&
    diagnosis !== null &&
    (diagnosis.ruled_out.length > 0 || diagnosis.next_steps.length > 0);
  return {
    tone: rule.tone,
    headline: rule.headline,
    top: rule.top ?? null,
    others: rule.others ?? [],
    alsoNoticed: rule.alsoNoticed ?? [],
    lead: rule.lead,
    next: rule.next,
    codeLine: spokenFor ? null : codeLine(errorCode, rule.tone),
    codeMeaning: unexplained ? (diagnosis.code_meaning ?? null) : null,
    ruledOut: unexplained ? diagnosis.ruled_out : [],
    nextSteps: unexplained ? diagnosis.next_steps : [],
    unknownNote:
      rule.tone === "stopped"
        ? null
        : unknownNote(findings.filter((f) => f.status === "unknown").length),
  };
}
