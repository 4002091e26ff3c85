//! The browser entry: wakes the islands of a server-rendered page (`#[island]` components
//! of the `app` crate), nothing else. Pages without an island do not load it at all.

// The island functions the page's script calls are exported by the `app` crate; this keeps
// it linked although nothing here names it.
extern crate app;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // The islands hydrate right after this call; each form's submit button marks itself
    // once it answers in place (`components::Submit`).
    leptos::mount::hydrate_islands();
}
