#![no_main]
//! See g40site::fuzzing::markdown.
libfuzzer_sys::fuzz_target!(|data: &[u8]| g40site::fuzzing::markdown(data));
