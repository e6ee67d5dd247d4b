//! The engine's error type: what went wrong, and with what.

use std::path::PathBuf;

/// Errors the engine reports to its callers (CLI, app). Probe failures are
/// not errors: they are findings. These are the cases where a run cannot
/// even be planned.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The profile file could not be read.
    #[error("cannot read profile {path}: {source}")]
    ProfileRead {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The profile is not valid TOML, or a key has the wrong type.
    #[error("{file}:{line}:{column}: {message}")]
    ProfileSyntax {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    /// The profile parses but says something impossible.
    #[error("{file}: {message}")]
    ProfileInvalid { file: String, message: String },
    /// `--only` named a check this profile does not have.
    #[error("unknown check id {id:?}; this profile has: {known}")]
    UnknownCheck { id: String, known: String },
    /// A certificate file named in the profile could not be used.
    #[error("cannot load extra root {path}: {message}")]
    ExtraRoot { path: PathBuf, message: String },
    /// The HTTP client could not be built (a TLS setup problem).
    #[error("cannot set up HTTP client: {0}")]
    HttpClient(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
