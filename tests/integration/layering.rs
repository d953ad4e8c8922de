//! Each crate's modules form layers: readers depend on the store, never the
//! reverse. This reads the `src/` of every crate of the workspace and fails
//! on any cycle among a crate's top-level modules (`outbox` → `query` →
//! `outbox`, say), naming the modules and the lines that make it. (Between
//! crates, cargo already refuses a cycle.)
//!
//! A dependency is a `crate::module` path, or a `crate::Name` that `lib.rs`
//! re-exports from a module, outside comments; a module's own files
//! (`src/outbox/*.rs`) count as the module.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use regex_lite::Regex;

type Graph = BTreeMap<String, BTreeMap<String, Vec<String>>>;

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            files.push(path);
        }
    }
    files
}

/// `Name` -> module, for every `pub use crate::module::…` of `lib.rs`.
fn reexports(lib: &str) -> BTreeMap<String, String> {
    let uses = Regex::new(r"(?s)pub use crate::(\w+)::(\{[^}]*\}|\w+);").unwrap();
    let mut names = BTreeMap::new();
    for found in uses.captures_iter(lib) {
        for name in found[2].trim_matches(['{', '}']).split(',') {
            let name = name.trim().rsplit("::").next().unwrap_or_default();
            if !name.is_empty() {
                names.insert(name.to_owned(), found[1].to_owned());
            }
        }
    }
    names
}

/// module -> module it depends on -> where (`file:line`).
fn graph(src: &Path) -> Graph {
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    let reexported = reexports(&lib);
    let files: Vec<PathBuf> = rust_files(src)
        .into_iter()
        .filter(|file| !file.starts_with(src.join("bin")) && *file != src.join("lib.rs"))
        .collect();
    let module_of = |file: &Path| {
        let first = file.strip_prefix(src).unwrap().components().next().unwrap();
        first.as_os_str().to_string_lossy().trim_end_matches(".rs").to_owned()
    };
    let modules: BTreeSet<String> = files.iter().map(|file| module_of(file)).collect();
    let path = Regex::new(r"\bcrate::(\w+)").unwrap();
    let mut graph = Graph::new();
    for file in &files {
        let module = module_of(file);
        let text = std::fs::read_to_string(file).unwrap();
        for (number, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            for found in path.captures_iter(line) {
                let target = match &found[1] {
                    name if modules.contains(name) => name.to_owned(),
                    name => match reexported.get(name) {
                        Some(target) => target.clone(),
                        None => continue,
                    },
                };
                if target != module {
                    let at = format!("{}:{}", file.strip_prefix(src).unwrap().display(), number + 1);
                    graph.entry(module.clone()).or_default().entry(target).or_default().push(at);
                }
            }
        }
    }
    graph
}

/// The modules on a cycle through `start`, if there is one.
fn cycle_through(graph: &Graph, start: &str) -> Option<Vec<String>> {
    fn walk(
        graph: &Graph,
        start: &str,
        at: &str,
        path: &mut Vec<String>,
        seen: &mut BTreeSet<String>,
    ) -> bool {
        for next in graph.get(at).into_iter().flat_map(BTreeMap::keys) {
            if next == start {
                return true;
            }
            if seen.insert(next.clone()) {
                path.push(next.clone());
                if walk(graph, start, next, path, seen) {
                    return true;
                }
                path.pop();
            }
        }
        false
    }
    let mut path = vec![start.to_owned()];
    walk(graph, start, start, &mut path, &mut BTreeSet::new()).then_some(path)
}

/// The `src/` of every crate of the workspace: the facade's and `crates/*/src`.
fn crate_sources() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut sources = vec![root.join("src")];
    for entry in std::fs::read_dir(root.join("crates")).unwrap() {
        let src = entry.unwrap().path().join("src");
        if src.join("lib.rs").is_file() {
            sources.push(src);
        }
    }
    sources.sort();
    sources
}

#[test]
fn the_modules_have_no_import_cycle() {
    let harness = graph(&Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/mailtest-harness/src"));
    assert!(
        harness.contains_key("query") && harness["query"].contains_key("outbox"),
        "the scan finds dependencies"
    );

    let mut cycles: Vec<String> = Vec::new();
    for src in crate_sources() {
        let graph = graph(&src);
        cycles.extend(graph.keys().filter_map(|module| cycle_through(&graph, module)).map(|cycle| {
            let edges: Vec<String> = cycle
                .iter()
                .zip(cycle.iter().cycle().skip(1))
                .map(|(from, to)| format!("  {from} -> {to} ({})", graph[from][to].join(", ")))
                .collect();
            format!("{}: {}\n{}", src.display(), cycle.join(" -> "), edges.join("\n"))
        }));
    }

    assert!(
        cycles.is_empty(),
        "import cycles (readers must depend on the store, not the reverse):\n{}",
        cycles.join("\n\n")
    );
}
