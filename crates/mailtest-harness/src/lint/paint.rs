//! Colour for diagnostics: the alternate form (`{:#}`) of a plain value,
//! never a property of the environment.

use super::diagnostic::Severity;

const BOLD: &str = "\x1b[1m";
const RED: &str = "\x1b[1;31m";
const YELLOW: &str = "\x1b[1;33m";
const BLUE: &str = "\x1b[1;34m";
const RESET: &str = "\x1b[0m";

/// Paints text when colour is on, and passes it through otherwise.
#[derive(Clone, Copy)]
pub(crate) struct Paint {
    color: bool,
}

impl Paint {
    pub(crate) fn new(color: bool) -> Paint {
        Paint { color }
    }

    fn with(self, style: &str, text: &str) -> String {
        if self.color && !text.is_empty() { format!("{style}{text}{RESET}") } else { text.to_owned() }
    }

    pub(crate) fn severity(self, severity: Severity, text: &str) -> String {
        self.with(if severity == Severity::Error { RED } else { YELLOW }, text)
    }

    pub(crate) fn bold(self, text: &str) -> String {
        self.with(BOLD, text)
    }

    pub(crate) fn blue(self, text: &str) -> String {
        self.with(BLUE, text)
    }
}
