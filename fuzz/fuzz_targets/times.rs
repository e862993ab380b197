#![no_main]
//! See g40site::fuzzing::times.
libfuzzer_sys::fuzz_target!(|data: &[u8]| g40site::fuzzing::times(data));
