//! macOS readers: command specs and parsers.
