//! PDF files from typst markup: typst embedded as a library, fonts built in, files only from memory.
//!
//! The markup comes from `kompromiss_shared::export::typst`, which puts every text of a person's
//! into a typst string literal, so no one's text can run typst code. The world this crate gives
//! typst has no file system and no packages: only the main source and the files the caller hands
//! over (charts as SVG), under a fixed, small set of names, because typst interns every file name
//! for the life of the process.

mod world;

use typst_layout::PagedDocument;

pub use world::MAX_FILES;

/// Why a PDF could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("typesetting failed: {0}")]
    Typeset(String),
    #[error("writing the PDF failed: {0}")]
    Write(String),
    #[error("too many embedded files (at most {MAX_FILES})")]
    TooManyFiles,
}

/// The PDF that `markup` typesets to. `files[i]` is readable from the markup as `file-{i}.svg`
/// (see [`file_name`]).
pub fn render(markup: &str, files: Vec<Vec<u8>>) -> Result<Vec<u8>, PdfError> {
    if files.len() > MAX_FILES {
        return Err(PdfError::TooManyFiles);
    }
    let world = world::MemoryWorld::new(markup, files);
    let compiled = typst::compile::<PagedDocument>(&world).output;
    // typst memoizes across compilations; a server renders unrelated documents, so nothing is
    // worth keeping, and keeping it would grow without bound.
    let result = compiled.map_err(|errors| PdfError::Typeset(messages(&errors))).and_then(|document| {
        typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default())
            .map_err(|errors| PdfError::Write(messages(&errors)))
    });
    comemo::evict(0);
    result
}

/// The name under which `files[index]` of [`render`] is read from the markup.
pub fn file_name(index: usize) -> String {
    format!("file-{index}.svg")
}

/// typst's diagnostics as one line.
fn messages(errors: &[typst::diag::SourceDiagnostic]) -> String {
    errors.iter().map(|e| e.message.as_str()).collect::<Vec<_>>().join("; ")
}

#[cfg(test)]
mod tests;
