//! The journal: one JSON object per line in `journal.jsonl`, appended and
//! never rewritten. Before a fix changes anything, a `begin` record holds
//! its steps and what it will change (typed [`Undo`] values); each step
//! that ran adds a `step` record; `end` says how it finished. A `begin`
//! without an `end` is a fix that was interrupted: its undo is still there.
//!
//! A line cut short (a full disk, a killed process) is reported and
//! skipped: every append starts on a fresh line, so it never swallows the
//! record after it.

use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::plans::Saved;
use super::undo::Undo;
use super::Step;
use md_model::system::Os;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Record {
    Begin {
        entry: String,
        fix: String,
        title: String,
        at: String,
        os: Os,
        /// What ran, for the record; never run again.
        steps: Vec<Step>,
        /// What changed, so undo can rebuild its commands from the catalog.
        undo: Vec<Undo>,
        #[serde(default)]
        saved: Saved,
        /// The plan's digest (see [`super::Plan::digest`]).
        #[serde(default)]
        digest: String,
    },
    Step {
        entry: String,
        index: usize,
        title: String,
        ok: bool,
        detail: String,
    },
    End {
        entry: String,
        ok: bool,
        message: Option<String>,
    },
    UndoBegin {
        entry: String,
        at: String,
    },
    UndoEnd {
        entry: String,
        ok: bool,
        message: Option<String>,
    },
}

impl Record {
    pub fn entry(&self) -> &str {
        match self {
            Record::Begin { entry, .. }
            | Record::Step { entry, .. }
            | Record::End { entry, .. }
            | Record::UndoBegin { entry, .. }
            | Record::UndoEnd { entry, .. } => entry,
        }
    }
}

/// Where a journal entry stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum EntryState {
    Applied,
    Failed,
    /// Began and never ended (the program was stopped mid-fix).
    Interrupted,
    Undone,
    UndoFailed,
}

/// One fix in the history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Entry {
    pub id: String,
    pub fix: String,
    pub title: String,
    pub at: String,
    pub state: EntryState,
    pub steps_done: usize,
    pub steps_total: usize,
    /// Plain words for each undo step (empty: nothing to undo).
    pub undo: Vec<String>,
    /// Where the files it moved are kept (when it moved files).
    pub backup: Option<String>,
    pub message: Option<String>,
    /// It is in the administrators' journal: undoing it needs their rights.
    pub admin: bool,
}

impl Entry {
    /// There is something to undo and it has not been undone.
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty() && self.state != EntryState::Undone
    }
}

#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("cannot write the journal {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot read the journal {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// The journal file.
#[derive(Debug, Clone)]
pub struct Journal {
    pub path: PathBuf,
}

/// What reading the journal found: records, and lines it could not read
/// (kept in the file, reported, never dropped).
#[derive(Debug, Default)]
pub struct Contents {
    pub records: Vec<Record>,
    pub unreadable: Vec<usize>,
}

impl Journal {
    pub fn in_dir(dir: &Path) -> Journal {
        Journal {
            path: dir.join("journal.jsonl"),
        }
    }

    /// Appends one record and syncs it to disk before returning. The
    /// record starts on a fresh line even when the last one was cut short;
    /// a link at the journal's place is refused, not written through.
    /// The folder is made by the journal's [`super::store::Store`].
    pub fn append(&self, record: &Record) -> Result<(), JournalError> {
        let err = |source| JournalError::Write {
            path: self.path.clone(),
            source,
        };
        let mut line = serde_json::to_string(record).expect("records serialize");
        line.push('\n');
        let mut f = crate::files::open_no_follow(&self.path, true, 0o644).map_err(err)?;
        let len = f.metadata().map_err(err)?.len();
        if len > 0 {
            let mut last = [0u8; 1];
            f.seek(SeekFrom::Start(len - 1)).map_err(err)?;
            f.read_exact(&mut last).map_err(err)?;
            if last[0] != b'\n' {
                line.insert(0, '\n');
            }
        }
        f.write_all(line.as_bytes()).map_err(err)?;
        f.sync_data().map_err(err)?;
        if len == 0 {
            if let Some(dir) = self.path.parent() {
                crate::files::sync_dir(dir);
            }
        }
        Ok(())
    }

    pub fn read(&self) -> Result<Contents, JournalError> {
        let bytes = match std::fs::read(&self.path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Contents::default()),
            Err(source) => {
                return Err(JournalError::Read {
                    path: self.path.clone(),
                    source,
                })
            }
        };
        Ok(parse(&String::from_utf8_lossy(&bytes)))
    }

    /// The history, newest first, with where each entry's files are kept.
    pub fn entries(&self) -> Result<Vec<Entry>, JournalError> {
        Ok(entries_in(&self.read()?.records, self.path.parent()))
    }

    /// The `begin` record of one entry.
    pub fn begin_of(&self, entry: &str) -> Result<Option<Record>, JournalError> {
        Ok(self
            .read()?
            .records
            .into_iter()
            .find(|r| matches!(r, Record::Begin { .. }) && r.entry() == entry))
    }
}

/// Parses journal text; a line that is not a record is listed by number.
pub fn parse(text: &str) -> Contents {
    let mut out = Contents::default();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Record>(line) {
            Ok(r) => out.records.push(r),
            Err(_) => out.unreadable.push(i + 1),
        }
    }
    out
}

/// Folds records into entries, newest first.
pub fn entries(records: &[Record]) -> Vec<Entry> {
    entries_in(records, None)
}

/// [`entries`] of the journal in `dir`: an entry that moved files names
/// its backup folder there (derived from the journal's place, never read
/// from the journal).
fn entries_in(records: &[Record], dir: Option<&Path>) -> Vec<Entry> {
    let mut out: Vec<Entry> = Vec::new();
    for r in records {
        match r {
            Record::Begin {
                entry,
                fix,
                title,
                at,
                os,
                steps,
                undo,
                ..
            } => out.push(Entry {
                id: entry.clone(),
                fix: fix.clone(),
                title: title.clone(),
                at: at.clone(),
                state: EntryState::Interrupted,
                steps_done: 0,
                steps_total: steps.iter().filter(|s| !s.action.is_read_only()).count(),
                undo: undo
                    .iter()
                    .filter(|u| u.belongs_to(fix, *os))
                    .map(Undo::title)
                    .collect(),
                backup: dir
                    .filter(|_| undo.contains(&Undo::RestoreFiles))
                    .map(|d| d.join("backups").join(entry).to_string_lossy().into_owned()),
                message: None,
                admin: false,
            }),
            other => {
                let Some(e) = out.iter_mut().rev().find(|e| e.id == other.entry()) else {
                    continue;
                };
                match other {
                    Record::Step { ok: true, .. } => e.steps_done += 1,
                    Record::Step { .. } | Record::Begin { .. } | Record::UndoBegin { .. } => {}
                    Record::End { ok, message, .. } => {
                        e.state = if *ok {
                            EntryState::Applied
                        } else {
                            EntryState::Failed
                        };
                        e.message = message.clone();
                    }
                    Record::UndoEnd { ok, message, .. } => {
                        e.state = if *ok {
                            EntryState::Undone
                        } else {
                            EntryState::UndoFailed
                        };
                        e.message = message.clone();
                    }
                }
            }
        }
    }
    out.reverse();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn begin(entry: &str) -> Record {
        Record::Begin {
            entry: entry.into(),
            fix: "clock.sync".into(),
            title: "t".into(),
            at: "2026-11-22T10:00:00Z".into(),
            os: Os::Linux,
            steps: vec![],
            undo: vec![Undo::NtpWasOff],
            saved: Saved::new(),
            digest: String::new(),
        }
    }

    #[test]
    fn a_torn_last_line_does_not_swallow_the_next_record() {
        let dir = tempfile::tempdir().unwrap();
        let j = Journal::in_dir(dir.path());
        j.append(&begin("a")).unwrap();
        // A record cut short: the disk filled, or the process was killed.
        let whole = serde_json::to_string(&begin("b")).unwrap();
        std::fs::OpenOptions::new()
            .append(true)
            .open(&j.path)
            .unwrap()
            .write_all(&whole.as_bytes()[..whole.len() / 2])
            .unwrap();
        j.append(&begin("c")).unwrap();
        let c = j.read().unwrap();
        assert_eq!(c.unreadable, vec![2], "only the torn line is lost");
        let ids: Vec<&str> = c.records.iter().map(Record::entry).collect();
        assert_eq!(ids, ["a", "c"]);
        assert!(j.entries().unwrap().iter().all(Entry::can_undo));
        // Not even a stray byte that is not UTF-8 hides the records.
        std::fs::OpenOptions::new()
            .append(true)
            .open(&j.path)
            .unwrap()
            .write_all(b"\xff\xfe")
            .unwrap();
        j.append(&begin("d")).unwrap();
        assert_eq!(j.read().unwrap().records.len(), 3);
    }

    #[test]
    fn undo_values_of_another_fix_are_not_offered() {
        let mut r = begin("x");
        if let Record::Begin { fix, .. } = &mut r {
            *fix = "zoom.quit".into();
        }
        let e = entries(&[r]);
        assert!(e[0].undo.is_empty() && !e[0].can_undo());
    }

    #[test]
    fn entries_follow_their_records_and_garbage_lines_are_reported_not_lost() {
        let dir = tempfile::tempdir().unwrap();
        let j = Journal::in_dir(dir.path());
        assert!(
            j.entries().unwrap().is_empty(),
            "no file is an empty history"
        );
        j.append(&begin("a")).unwrap();
        j.append(&Record::End {
            entry: "a".into(),
            ok: true,
            message: None,
        })
        .unwrap();
        j.append(&begin("b")).unwrap();
        std::fs::OpenOptions::new()
            .append(true)
            .open(&j.path)
            .unwrap()
            .write_all(b"{not json\n")
            .unwrap();
        let c = j.read().unwrap();
        assert_eq!(c.unreadable, vec![4]);
        let e = entries(&c.records);
        assert_eq!(e[0].id, "b");
        assert_eq!(e[0].state, EntryState::Interrupted);
        assert!(e[0].can_undo());
        assert_eq!(e[1].state, EntryState::Applied);
        j.append(&Record::UndoEnd {
            entry: "a".into(),
            ok: true,
            message: None,
        })
        .unwrap();
        let e = j.entries().unwrap();
        assert_eq!(e[1].state, EntryState::Undone);
        assert!(!e[1].can_undo());
        // The garbage line is still in the file: nothing is rewritten.
        assert!(std::fs::read_to_string(&j.path)
            .unwrap()
            .contains("{not json"));
    }
}
