//! The browser entry: wakes the islands of a server-rendered page (`#[island]` components
//! of the `app` crate), nothing else. Pages without an island do not load it at all.

// The island functions the page's script calls are exported by the `app` crate; this keeps
// it linked although nothing here names it.
extern crate app;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    // Marks the page as scripted: the islands hydrate right after this call (browser tests
    // wait for the mark on an island's own submit button, see `components::Submit`).
    if let Some(html) = leptos::prelude::document().document_element() {
        let _ = html.set_attribute("data-hydrated", "true");
    }
}
