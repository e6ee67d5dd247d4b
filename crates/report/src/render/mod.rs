//! Reports rendered for people: Markdown (tickets), self-contained HTML
//! (email, print), plain text (email bodies, terminals), and JSON (the
//! contract shape); the note for the network administrator; redaction.
//!
//! The three human formats share one view of the report (built once by
//! [`View::of`]), so they say the same things: the plain-words headline
//! first, what is wrong and what to do, the support details a help desk
//! asks for, the administrator note, every check, and the technical detail.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use crate::compare::{Comparison, Verdict};
use crate::Report;
use md_model::checks::{self, Group};
use md_model::finding::{Finding, Status};
use md_model::system::Os;

/// The formats a report can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Json,
    Markdown,
    Html,
    Text,
}

impl Format {
    /// Every format, in menu order.
    pub const ALL: [Format; 4] = [Format::Json, Format::Markdown, Format::Html, Format::Text];

    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Markdown => "md",
            Format::Html => "html",
            Format::Text => "txt",
        }
    }

    /// The media type, for saving and sharing.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Json => "application/json",
            Format::Markdown => "text/markdown; charset=utf-8",
            Format::Html => "text/html; charset=utf-8",
            Format::Text => "text/plain; charset=utf-8",
        }
    }
}

/// The report stylesheet, inlined into every HTML report.
pub const STYLESHEET: &str = include_str!("../../../../assets/report.css");

pub use crate::redact::{
    redacted, without_secrets, COMPUTER_PLACEHOLDER, CREDENTIALS_PLACEHOLDER, SECRET_PLACEHOLDER,
    USER_PLACEHOLDER, WIFI_PLACEHOLDER,
};

mod admin_note;
mod html;
mod markdown;
mod plain;
mod support;
#[cfg(test)]
mod tests;
mod view;
mod wording;

pub use admin_note::*;
use html::*;
use markdown::*;
use plain::*;
use support::*;
use view::*;
use wording::*;

/// Options beyond the format.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions<'a> {
    /// Remove user, computer and Wi-Fi names, IP and MAC addresses, e-mail
    /// addresses and home paths first. Secrets (passwords and tokens in
    /// URLs) are removed either way.
    pub redact: bool,
    /// A run on another network (the hotspot test) that includes this
    /// report, for the "works on another network" line.
    pub comparison: Option<&'a Comparison>,
}

/// Renders `report`; `redact` removes user and host names, addresses and
/// home paths first. Passwords and tokens never appear, redacted or not.
pub fn render(report: &Report, format: Format, redact: bool) -> String {
    render_with(
        report,
        format,
        RenderOptions {
            redact,
            comparison: None,
        },
    )
}

/// What "Copy for a technician" gives, and the only thing it gives: the
/// Markdown report, always redacted (a ticket or a chat is no place for
/// names and addresses; the saved report can keep them when asked).
pub fn technician_copy(report: &Report) -> String {
    render(report, Format::Markdown, true)
}

/// Renders `report` with options (redaction, a comparison run).
pub fn render_with(report: &Report, format: Format, opts: RenderOptions<'_>) -> String {
    let (r, comparison) = crate::redact::prepare(report, opts.comparison, opts.redact);
    let view = |r: &Report| View::of(r, opts.redact, comparison.as_ref());
    match format {
        Format::Json => serde_json::to_string_pretty(&r).unwrap_or_default(),
        Format::Markdown => markdown(&view(&r)),
        Format::Html => html(&view(&r)),
        Format::Text => text(&view(&r)),
    }
}
