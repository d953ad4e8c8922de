//! Domains compared as mail servers compare them: in any case, and in either
//! their Unicode or their ASCII (IDNA) form, `öäü.com` being `xn--4ca9at.com`.

use std::borrow::Cow;

/// The domain's ASCII form: itself when it is ASCII already (an `xn--` form
/// included, which may be IDNA 2008 that IDNA 2003 would spell otherwise), or
/// itself again when it has none.
pub(crate) fn ascii_domain(domain: &str) -> Cow<'_, str> {
    if domain.is_ascii() {
        return Cow::Borrowed(domain);
    }
    idna::domain_to_ascii(domain).map_or(Cow::Borrowed(domain), Cow::Owned)
}

/// Whether two domains name the same host.
pub(crate) fn same_domain(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
        || ((!a.is_ascii() || !b.is_ascii()) && ascii_domain(a).eq_ignore_ascii_case(&ascii_domain(b)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_compare_in_either_form() {
        assert!(same_domain("öäü.com", "xn--4ca9at.com"));
        assert!(same_domain("XN--4CA9AT.com", "öäü.com"));
        assert!(same_domain("Example.com", "example.COM"));
        assert!(!same_domain("öäü.com", "example.com"));
    }
}
