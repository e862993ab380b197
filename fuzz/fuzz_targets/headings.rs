#![no_main]
//! See g40site::fuzzing::headings.
libfuzzer_sys::fuzz_target!(|data: &[u8]| g40site::fuzzing::headings(data));
