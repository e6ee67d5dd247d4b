//! Linux readers: command specs, file readers and parsers.
