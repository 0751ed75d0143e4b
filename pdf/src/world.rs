//! The world typst compiles in: one main source, numbered in-memory files, the built-in fonts.

use std::sync::LazyLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// At most this many files a markup may embed (each name is interned by typst forever, so the
/// names are `file-0.svg` … and never more than these).
pub const MAX_FILES: usize = 64;

/// The standard library, built once.
static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));

/// The built-in fonts (Libertinus Serif, New Computer Modern, DejaVu Sans Mono), parsed once.
static FONTS: LazyLock<(LazyHash<FontBook>, Vec<Font>)> = LazyLock::new(|| {
    let fonts: Vec<Font> = typst_assets::fonts().flat_map(|data| Font::iter(Bytes::new(data))).collect();
    (LazyHash::new(FontBook::from_fonts(&fonts)), fonts)
});

/// A file id by its name in the project root.
fn id(name: &str) -> FileId {
    let path = VirtualPath::new(name).unwrap_or_else(|_| unreachable!("fixed names are valid paths"));
    RootedPath::new(VirtualRoot::Project, path).intern()
}

/// One compilation's world.
pub struct MemoryWorld {
    main: Source,
    files: Vec<(FileId, Bytes)>,
}

impl MemoryWorld {
    pub fn new(markup: &str, files: Vec<Vec<u8>>) -> Self {
        let main = Source::new(id("main.typ"), markup.to_owned());
        let files =
            files.into_iter().enumerate().map(|(i, data)| (id(&crate::file_name(i)), Bytes::new(data))).collect();
        Self { main, files }
    }
}

impl World for MemoryWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.0
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() { Ok(self.main.clone()) } else { Err(FileError::NotSource) }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.files.iter().find(|(file, _)| *file == id).map(|(_, data)| data.clone()).ok_or(FileError::AccessDenied)
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.1.get(index).cloned()
    }

    /// No dates from the machine: the markup carries the dates it prints.
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}
