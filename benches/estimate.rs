//! Criterion's estimates of this run, read back for a benchmark's ratio
//! summary (shared by the benchmarks that report one).

use std::path::PathBuf;
use std::time::SystemTime;

/// Criterion's estimate for one benchmark, in nanoseconds, if this run
/// wrote it (a filtered or `--test` run leaves older files, which must not be
/// shown as today's numbers): the slope when criterion fitted one, which is
/// the time it prints, else the mean.
pub(crate) fn estimate_ns(group: &str, function: &str, started: SystemTime) -> Option<f64> {
    let path = criterion_home().join(group).join(function).join("new").join("estimates.json");
    let fresh = std::fs::metadata(&path).and_then(|meta| meta.modified()).ok()? >= started;
    if !fresh {
        return None;
    }
    let json = std::fs::read_to_string(&path).ok()?;
    point_estimate(&json, "slope").or_else(|| point_estimate(&json, "mean"))
}

/// Where criterion writes: `CRITERION_HOME` (relative to the directory
/// cargo runs a bench in, this package's), else `criterion/` in the target
/// directory — the workspace's, not this package's, so it is found from the
/// bench's own path (`<target>/release/deps/<bench>-<hash>`) rather than
/// from the manifest directory.
fn criterion_home() -> PathBuf {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return manifest_dir.join(home);
    }
    let exe = std::env::current_exe().unwrap_or_default();
    let target = exe.ancestors().nth(3).map_or_else(|| manifest_dir.join("../target"), PathBuf::from);
    target.join("criterion")
}

/// `{"mean":{"confidence_interval":{…},"point_estimate":123.4,…},…,"slope":null,…}`
/// → `Some(123.4)` for `mean`, `None` for `slope`. Enough JSON for one known
/// file, without a dependency.
fn point_estimate(json: &str, key: &str) -> Option<f64> {
    let quoted_key = format!("\"{key}\"");
    let object = &json[json.find(&quoted_key)? + quoted_key.len()..];
    let object = object.trim_start().strip_prefix(':')?.trim_start().strip_prefix('{')?;
    let value = &object[object.find("\"point_estimate\"")? + "\"point_estimate\"".len()..];
    let value = value.trim_start().strip_prefix(':')?.trim_start();
    let end =
        value.find(|c: char| !matches!(c, '0'..='9' | '.' | '-' | '+' | 'e' | 'E')).unwrap_or(value.len());
    value[..end].parse().ok()
}
