//! `serve` under load and against hostile clients, on 127.0.0.1 only. In
//! their own binary and one at a time, so that the memory figures of
//! `serve_load` (this process's own) are of that test alone.

#[path = "../common/mod.rs"]
mod common;

mod serve_limits;
mod serve_load;

/// Run one load test at a time (taken first thing in each test).
fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
    ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner())
}
