#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = hashscreen_fuzz::screen_message(data);
});
