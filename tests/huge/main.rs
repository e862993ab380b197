//! Huge and hostile inputs, each with a time (and some a memory) bound:
//! in their own binary, one at a time, so that the timings are of the
//! test alone and not of the fast suite competing for the same cores.

#[path = "../common/mod.rs"]
mod common;

mod inputs;
mod limits;

/// One expensive build at a time, so timings are not of tests competing
/// for the same cores.
fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
    ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner())
}
