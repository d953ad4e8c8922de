#!/usr/bin/env bash
# What adding mailtest to a lettre app's dev-dependencies costs a cold
# `cargo build --tests`: the same small app (lettre 0.11 with rustls, a
# production sender and one test), built from clean with lettre's
# StubTransport in its test, then with mailtest as a dev-dependency the way
# the README's "Your app already uses lettre" recipe adds it
# (`default-features = false, features = ["harness"]`), then with mailtest's
# default features (snapshots and the SMTP sink too), each in an empty
# target directory of its own. Prints the units compiled, CPU time (user +
# sys, from /usr/bin/time) and wall time of each, and the ratios of CPU
# times to the build without mailtest — the figures the README shows.
#
# The builds run with CARGO_INCREMENTAL=0: mailtest is a path dependency
# here, and Cargo builds path dependencies incrementally (more work on a
# cold build), but never a dependency from crates.io, which is how an app
# gets mailtest. The app's own crate is built the same way in every build.
#
#   scripts/build-cost.sh [runs]      (default 1 run of each; the machine's load matters)
#
# Everything it makes lives in a temporary folder outside the checkout (so
# that the checkout's .cargo/config.toml, which no user's app has, does not
# apply) and is deleted at the end.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-1}"
work="$(mktemp -d "${TMPDIR:-/tmp}/mailtest-build-cost.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# $1: directory, $2: "stub", "recipe" or "defaults"
make_app() {
    local dir="$1" flavour="$2"
    mkdir -p "$dir/src" "$dir/tests"
    {
        cat <<TOML
[package]
name = "lettre-app"
version = "0.0.0"
edition = "2021"
publish = false

[workspace]

[dependencies]
lettre = { version = "0.11.23", default-features = false, features = ["builder", "smtp-transport", "pool", "hostname", "rustls-tls"] }
TOML
        if [ "$flavour" = recipe ]; then
            printf '\n[dev-dependencies]\nmailtest = { path = "%s", default-features = false, features = ["harness"] }\n' "$repo"
        elif [ "$flavour" = defaults ]; then
            printf '\n[dev-dependencies]\nmailtest = { path = "%s" }\n' "$repo"
        fi
    } >"$dir/Cargo.toml"
    cat >"$dir/src/lib.rs" <<'RS'
use lettre::{Message, Transport};

pub fn welcome<T: Transport>(transport: &T, to: &str) -> Result<T::Ok, T::Error> {
    let message = Message::builder()
        .from("App <app@example.com>".parse().unwrap())
        .to(to.parse().unwrap())
        .subject("Welcome")
        .body(String::from("Hello"))
        .unwrap();
    transport.send(&message)
}
RS
    cat >"$dir/src/main.rs" <<'RS'
fn main() {
    let url = std::env::var("SMTP_URL").unwrap_or_else(|_| "smtp://localhost:25".into());
    let transport = lettre::SmtpTransport::from_url(&url).unwrap().build();
    if let Some(to) = std::env::args().nth(1) {
        lettre_app::welcome(&transport, &to).unwrap();
    }
}
RS
    if [ "$flavour" != stub ]; then
        cat >"$dir/tests/welcome.rs" <<'RS'
#[test]
fn welcome_is_sent() {
    let mail = mailtest::capture();
    lettre_app::welcome(&mailtest::guard(lettre::transport::stub::StubTransport::new_ok()), "ann@example.com").unwrap();
    mail.find().to("ann@example.com").subject("Welcome").one();
}
RS
    else
        cat >"$dir/tests/welcome.rs" <<'RS'
#[test]
fn welcome_is_sent() {
    let stub = lettre::transport::stub::StubTransport::new_ok();
    lettre_app::welcome(&stub, "ann@example.com").unwrap();
    assert_eq!(stub.messages().len(), 1);
}
RS
    fi
}

# Prints "units cpu_seconds wall_seconds" for a cold `cargo build --tests` of $1.
cold_build() {
    local dir="$1" target="$1/target" log="$1/build.log" timing="$1/time.txt"
    rm -rf "$target"
    (cd "$dir" && cargo fetch --quiet 2>/dev/null || true)
    (cd "$dir" && CARGO_INCREMENTAL=0 CARGO_TARGET_DIR="$target" /usr/bin/time -f "%U %S %e" -o "$timing" \
        cargo build --tests --offline --color never >"$log" 2>&1) || {
        cat "$log" >&2
        exit 1
    }
    local units user sys wall
    units=$(grep -c '^ *Compiling ' "$log" || true)
    read -r user sys wall <"$timing"
    rm -rf "$target"
    awk -v u="$units" -v a="$user" -v b="$sys" -v w="$wall" 'BEGIN { printf "%d %.1f %.1f\n", u, a + b, w }'
}

make_app "$work/stub" stub
make_app "$work/recipe" recipe
make_app "$work/defaults" defaults
echo "cold \`cargo build --tests\` of a small lettre app (lettre 0.11, rustls), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
printf '%-40s %6s %10s %10s\n' "build" "units" "CPU (s)" "wall (s)"
for run in $(seq "$runs"); do
    read -r su sc sw < <(cold_build "$work/stub")
    printf '%-40s %6s %10s %10s\n' "without mailtest (run $run)" "$su" "$sc" "$sw"
    for flavour in recipe defaults; do
        read -r mu mc mw < <(cold_build "$work/$flavour")
        printf '%-40s %6s %10s %10s\n' "with mailtest, $flavour (run $run)" "$mu" "$mc" "$mw"
        awk -v f="$flavour" -v mu="$mu" -v su="$su" -v mc="$mc" -v sc="$sc" -v mw="$mw" -v sw="$sw" \
            'BEGIN { printf "  %s / without: +%d units, CPU %.2fx (+%.0f%%), wall %.2fx\n", f, mu - su, mc / sc, (mc / sc - 1) * 100, mw / sw }'
    done
done
