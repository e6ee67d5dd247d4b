//! Errors as they cross IPC: `{kind, message}`, never a bare string.

use serde::Serialize;
use ts_rs::TS;

/// What went wrong, for the UI to choose its screen.
///
/// - `profile`: the profile given with `--profile` is unreadable or invalid
///   (the message names the file, line and what was expected);
/// - `busy`: a check is already running, or a fix is being made (a check
///   and a fix never run at the same time);
/// - `save`: a report could not be written (the message names the folder);
/// - `fix`: a fix could not be previewed, made, undone or exported: an id
///   that is not in the catalog, a confirmation that does not name the fix,
///   a change the history does not know, a setting that could not be noted
///   first, an unreadable journal, or a fix that cannot be done here (for
///   a script). The message says which. A fix that ran and failed, or that
///   was declined at the administrator prompt, is not an error: it is an
///   outcome;
/// - `internal`: anything else (a bug or an unusable system).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum ErrorKind {
    Profile,
    Busy,
    Save,
    Fix,
    Internal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, thiserror::Error)]
#[error("{message}")]
pub struct IpcError {
    pub kind: ErrorKind,
    pub message: String,
}

impl IpcError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> IpcError {
        IpcError {
            kind,
            message: message.into(),
        }
    }
}

impl From<meeting_doctor_core::Error> for IpcError {
    fn from(e: meeting_doctor_core::Error) -> IpcError {
        use meeting_doctor_core::Error as E;
        let kind = match e {
            E::ProfileRead { .. }
            | E::ProfileSyntax { .. }
            | E::ProfileInvalid { .. }
            | E::ExtraRoot { .. }
            | E::UnknownCheck { .. } => ErrorKind::Profile,
            E::HttpClient(_) => ErrorKind::Internal,
        };
        IpcError::new(kind, e.to_string())
    }
}
