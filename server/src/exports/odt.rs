//! Packing an ODT: the mimetype first and stored, then the XML parts of
//! `kompromiss_shared::export::odt` and the charts as SVG pictures.

use std::io::Write;

use kompromiss_shared::export::blocks::Block;
use kompromiss_shared::export::odt::{self, Picture};
use kompromiss_shared::export::typst::Page;
use zip::write::SimpleFileOptions;

use super::ExportError;

/// An ODT archive of `blocks` under `page`'s header, with `charts` (SVG, caption) after the text.
pub(super) fn pack(blocks: &[Block], page: &Page<'_>, charts: &[(String, String)]) -> Result<Vec<u8>, ExportError> {
    let pictures: Vec<Picture> = charts
        .iter()
        .enumerate()
        .map(|(i, (_, caption))| Picture {
            path: format!("Pictures/diagramm-{}.svg", i + 1),
            caption: caption.clone(),
            width_cm: 16.0,
            height_cm: 9.0,
        })
        .collect();
    let parts = [
        ("content.xml", odt::content(blocks, "Diagramme", &pictures)),
        ("styles.xml", odt::styles(page)),
        ("meta.xml", odt::meta(page)),
        ("META-INF/manifest.xml", odt::manifest(&pictures)),
    ];
    let failed = |e: &dyn std::fmt::Display| ExportError::Render(format!("odt: {e}"));
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let deflated = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("mimetype", stored).map_err(|e| failed(&e))?;
    zip.write_all(odt::MIMETYPE.as_bytes()).map_err(|e| failed(&e))?;
    for (name, xml) in parts {
        zip.start_file(name, deflated).map_err(|e| failed(&e))?;
        zip.write_all(xml.as_bytes()).map_err(|e| failed(&e))?;
    }
    for (picture, (svg, _)) in pictures.iter().zip(charts) {
        zip.start_file(picture.path.as_str(), deflated).map_err(|e| failed(&e))?;
        zip.write_all(svg.as_bytes()).map_err(|e| failed(&e))?;
    }
    Ok(zip.finish().map_err(|e| failed(&e))?.into_inner())
}
