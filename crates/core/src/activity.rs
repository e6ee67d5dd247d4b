//! What is running now: a check or a fix, never both at once and never two
//! of either. A fix changes what a check reads, and a check's answer is
//! what a fix is chosen from, so one shell-wide slot holds whichever runs,
//! with its cancel token. One lock, so "is a fix running?" and "start the
//! check" cannot interleave.
//!
//! Across processes (the CLI beside the app, an elevated run) fixes are
//! kept apart by the fix lock in the store; this is the in-process half.

use std::sync::{Mutex, MutexGuard};

use tokio_util::sync::CancellationToken;

/// The two kinds of work a shell runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Work {
    Check,
    Fix,
}

/// Why work could not start: something else is running.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy {
    pub running: Work,
    pub wanted: Work,
}

impl Busy {
    /// What to tell the person, in their words.
    pub fn message(&self) -> &'static str {
        match (self.running, self.wanted) {
            (Work::Check, Work::Check) => "A check is already running.",
            (Work::Fix, Work::Check) => "A change is being made; check again once it is done.",
            (Work::Check, Work::Fix) => {
                "A check is running; wait for it to finish before making a change."
            }
            (Work::Fix, Work::Fix) => "Another change is being made; wait for it to finish.",
        }
    }
}

impl std::fmt::Display for Busy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for Busy {}

/// The slot: empty, or the work that runs and how to stop it.
#[derive(Debug, Default)]
pub struct Activity {
    now: Mutex<Option<(Work, CancellationToken)>>,
}

impl Activity {
    fn now_mut(&self) -> MutexGuard<'_, Option<(Work, CancellationToken)>> {
        // A panic while holding the lock leaves plain data behind: keep going.
        self.now.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Takes the slot for `work`, or says what holds it. The slot is freed
    /// when the returned [`Running`] is dropped, however the work ends.
    pub fn begin(&self, work: Work) -> Result<Running<'_>, Busy> {
        let mut now = self.now_mut();
        if let Some((running, _)) = now.as_ref() {
            return Err(Busy {
                running: *running,
                wanted: work,
            });
        }
        let token = CancellationToken::new();
        *now = Some((work, token.clone()));
        Ok(Running {
            activity: self,
            token,
        })
    }

    /// What runs now, if anything.
    pub fn now(&self) -> Option<Work> {
        self.now_mut().as_ref().map(|(w, _)| *w)
    }

    /// Asks the running `work` to stop. False when that kind of work is
    /// not what runs (a "cancel check" never stops a fix).
    pub fn cancel(&self, work: Work) -> bool {
        match self.now_mut().as_ref() {
            Some((running, token)) if *running == work => {
                token.cancel();
                true
            }
            _ => false,
        }
    }
}

/// Work that holds the slot.
#[derive(Debug)]
pub struct Running<'a> {
    activity: &'a Activity,
    token: CancellationToken,
}

impl Running<'_> {
    /// Cancelled when [`Activity::cancel`] is called for this work.
    pub fn token(&self) -> CancellationToken {
        self.token.clone()
    }
}

impl Drop for Running<'_> {
    fn drop(&mut self) {
        *self.activity.now_mut() = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_thing_at_a_time_and_each_cancel_stops_only_its_own_kind() {
        let a = Activity::default();
        let check = a.begin(Work::Check).unwrap();
        assert_eq!(a.now(), Some(Work::Check));
        let busy = a.begin(Work::Fix).unwrap_err();
        assert_eq!(
            busy.message(),
            "A check is running; wait for it to finish before making a change."
        );
        assert!(a.begin(Work::Check).is_err());
        assert!(!a.cancel(Work::Fix), "a fix's cancel does not stop a check");
        assert!(!check.token().is_cancelled());
        assert!(a.cancel(Work::Check));
        assert!(check.token().is_cancelled());
        drop(check);
        assert_eq!(a.now(), None);
        assert!(!a.cancel(Work::Check), "nothing runs once it ended");
        let fix = a.begin(Work::Fix).unwrap();
        assert_eq!(
            a.begin(Work::Check).unwrap_err().message(),
            "A change is being made; check again once it is done."
        );
        drop(fix);
        assert!(a.begin(Work::Check).is_ok());
    }
}
