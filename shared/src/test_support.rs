//! Helpers shared by this crate's tests.

use automerge::AutoCommit;

use crate::schema::init_from_template;

/// A concept made from the first built-in template, with platform ids `p1`, `p2`, ….
pub fn concept() -> AutoCommit {
    let mut doc = AutoCommit::new();
    let template = crate::template::builtin().remove(0);
    let mut n = 0;
    init_from_template(&mut doc, &template, || {
        n += 1;
        format!("p{n}")
    })
    .expect("template applies");
    doc
}
