//! The probes crate's integration tests, in one binary.

mod computer_replay;
