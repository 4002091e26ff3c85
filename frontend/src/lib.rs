//! The browser entry: hydrates the server-rendered page, nothing else.

// The view types of the largest pages (forms in `<details>` beside an `<aside>`) nest deeper
// than the default limit when the release build lays out their hydration futures.
#![recursion_limit = "256"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
    // Marks the page as interactive (browser tests wait for it before using client-side
    // navigation; nothing else reads it).
    if let Some(html) = leptos::prelude::document().document_element() {
        let _ = html.set_attribute("data-hydrated", "true");
    }
}
