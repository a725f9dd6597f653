//! Embeds the web clients: every file under the client directories at the repository root is
//! listed, with the URL path it is served at, in `$OUT_DIR/assets.rs` (`include_bytes!` of each),
//! so adding a file to a client needs no code change and the binary carries everything. The
//! page modules' unit tests are left out (`is_page_file`).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

include!("src/clients.rs");

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        let hidden = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let root = manifest.join("../..");
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    // The list of clients is this script's own input: a client added there is embedded at the
    // next build (the directories alone would not tell cargo to run the script again).
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/clients.rs");
    let mut table = String::from("&[\n");
    for (dir, prefix) in CLIENTS {
        let base = root.join(dir);
        println!("cargo:rerun-if-changed={}", base.display());
        let mut found = Vec::new();
        files(&base, &mut found);
        for file in found {
            let relative = file
                .strip_prefix(&base)
                .expect("below its client directory")
                .to_string_lossy()
                .replace('\\', "/");
            if !is_page_file(&relative) {
                continue;
            }
            println!("cargo:rerun-if-changed={}", file.display());
            let absolute = file.canonicalize().expect("an existing file");
            table.push_str(&format!(
                "    ({:?}, include_bytes!({:?})),\n",
                format!("{prefix}{relative}"),
                absolute.display().to_string()
            ));
        }
    }
    table.push(']');
    let mut generated = fs::File::create(out_dir.join("assets.rs")).expect("create assets.rs");
    generated
        .write_all(table.as_bytes())
        .expect("write assets.rs");
}
