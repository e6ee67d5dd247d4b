//! The engine's integration tests, in one binary (one link, not seven):
//! fix plans as data, real fixes and undo in namespaces, the probes and the
//! proxy against the loopback lab, the Linux readers in namespaces, the
//! renderings against snapshots, the runner's deadline, and whole runs
//! as Windows and macOS through a replayed platform.
//!
//! The parser fuzz tests are their own binary (`--test fuzz`), run longer
//! with `MD_FUZZ_SECS`.

mod fix_plans;
mod fix_real;
mod lab_probes;
mod linux_readers;
mod proxy_lab;
mod render;
mod replay_run;
mod runner;
