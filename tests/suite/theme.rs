//! The embedded theme is exactly the `themes/g40/` folder: a file added to
//! the folder but not to `theme::EMBEDDED` would be missing from sites
//! without a themes/ folder.

use std::path::Path;

#[test]
fn embedded_list_matches_the_theme_folder() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/g40");
    let mut on_disk: Vec<String> = walkdir::WalkDir::new(&dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(&dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    on_disk.sort();
    let mut embedded: Vec<String> = g40site::testing::EMBEDDED
        .iter()
        .map(|(p, _)| p.to_string())
        .collect();
    embedded.sort();
    assert_eq!(embedded, on_disk, "update theme::EMBEDDED in src/theme.rs");
    for (path, bytes) in g40site::testing::EMBEDDED {
        assert_eq!(
            *bytes,
            std::fs::read(dir.join(path)).unwrap().as_slice(),
            "{path} differs"
        );
    }
}
