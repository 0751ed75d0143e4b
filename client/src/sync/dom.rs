//! DOM helpers: setting a field's value without moving the caret or losing the selection.

use kompromiss_shared::schema::map_caret_between;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};

/// The parts of `<input>` and `<textarea>` the caret logic needs.
pub trait TextControl {
    fn value(&self) -> String;
    fn set_value(&self, v: &str);
    fn selection(&self) -> Option<(u32, u32)>;
    fn set_selection(&self, start: u32, end: u32);
    fn is_focused(&self) -> bool;
}

macro_rules! text_control {
    ($t:ty) => {
        impl TextControl for $t {
            fn value(&self) -> String {
                <$t>::value(self)
            }
            fn set_value(&self, v: &str) {
                <$t>::set_value(self, v)
            }
            fn selection(&self) -> Option<(u32, u32)> {
                Some((self.selection_start().ok()??, self.selection_end().ok()??))
            }
            fn set_selection(&self, start: u32, end: u32) {
                let _ = self.set_selection_range(start, end);
            }
            fn is_focused(&self) -> bool {
                let me: &web_sys::Element = self.as_ref();
                web_sys::window().and_then(|w| w.document()).and_then(|d| d.active_element()).is_some_and(|a| &a == me)
            }
        }
    };
}
text_control!(HtmlInputElement);
text_control!(HtmlTextAreaElement);

/// Replaces the value; a focused field keeps its caret and selection where the text around them moved.
pub fn set_value_keep_caret(el: &impl TextControl, new: &str) {
    let old = el.value();
    if old == new {
        return;
    }
    let selection = if el.is_focused() { el.selection() } else { None };
    el.set_value(new);
    if let Some((start, end)) = selection {
        let old16: Vec<u16> = old.encode_utf16().collect();
        let new16: Vec<u16> = new.encode_utf16().collect();
        let start = map_caret_between(&old16, &new16, start as usize) as u32;
        let end = map_caret_between(&old16, &new16, end as usize) as u32;
        el.set_selection(start, end);
    }
}
