//! The embedded typesetter: a PDF comes out, files are read only by their fixed names.

use super::*;

#[test]
fn markup_typesets_to_a_pdf() {
    let pdf = render("#set text(lang: \"de\")\nHallo Welt", Vec::new()).expect("pdf");
    assert!(pdf.starts_with(b"%PDF-"), "not a PDF");
}

#[test]
fn an_embedded_svg_is_read_by_its_name() {
    let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>"#;
    let pdf = render("#image(\"file-0.svg\")", vec![svg.to_vec()]).expect("pdf");
    assert!(pdf.starts_with(b"%PDF-"));
    let missing = render("#image(\"file-1.svg\")", vec![svg.to_vec()]);
    assert!(matches!(missing, Err(PdfError::Typeset(_))), "{missing:?}");
}

#[test]
fn the_machine_s_files_are_out_of_reach() {
    let result = render("#read(\"/etc/passwd\")", Vec::new());
    assert!(matches!(result, Err(PdfError::Typeset(_))), "{result:?}");
}

#[test]
fn too_many_files_are_refused() {
    assert!(matches!(render("x", vec![Vec::new(); MAX_FILES + 1]), Err(PdfError::TooManyFiles)));
}
