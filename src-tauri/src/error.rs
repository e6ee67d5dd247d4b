//! Errors as they cross IPC: `{kind, message}`, never a bare string.

use serde::Serialize;
use ts_rs::TS;

/// What went wrong, for the UI to choose its screen.
///
/// - `profile`: the profile given with `--profile` is unreadable or invalid
///   (the message names the file, line and what was expected);
/// - `busy`: a check is already running;
/// - `save`: a report could not be written (the message names the folder);
/// - `internal`: anything else (a bug or an unusable system).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum ErrorKind {
    Profile,
    Busy,
    Save,
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
