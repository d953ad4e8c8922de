//! A DKIM-Signature header's tag list (RFC 6376 §3.2, §3.5), read with
//! where each value is, so that `b=` can be emptied in place.

use std::ops::Range;

use crate::canon::Canonicalization;

/// The algorithms: `a=`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Algorithm {
    /// `rsa-sha256`.
    RsaSha256,
    /// `ed25519-sha256` (RFC 8463).
    Ed25519Sha256,
}

impl std::fmt::Display for Algorithm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Algorithm::RsaSha256 => "rsa-sha256",
            Algorithm::Ed25519Sha256 => "ed25519-sha256",
        })
    }
}

/// The tags a verifier uses, checked.
#[derive(Clone, Debug)]
pub(crate) struct Tags {
    pub(crate) algorithm: Algorithm,
    pub(crate) signature: Vec<u8>,
    pub(crate) body_hash: Vec<u8>,
    pub(crate) header_canon: Canonicalization,
    pub(crate) body_canon: Canonicalization,
    pub(crate) domain: String,
    pub(crate) selector: String,
    /// `h=`, as written (case kept).
    pub(crate) headers: Vec<String>,
    pub(crate) length: Option<usize>,
    /// Where the `b=` value is in the header's value (emptied for hashing).
    pub(crate) b_value: Range<usize>,
}

/// Every tag as written: (name, value with folding, the value's range).
fn split(value: &[u8]) -> Vec<(String, &[u8], Range<usize>)> {
    let mut tags = Vec::new();
    let mut at = 0;
    for segment in value.split(|b| *b == b';') {
        let start = at;
        at += segment.len() + 1;
        let Some(eq) = segment.iter().position(|b| *b == b'=') else {
            if !segment.iter().all(|b| b.is_ascii_whitespace()) {
                tags.push((String::from_utf8_lossy(segment).trim().to_owned(), &segment[..0], start..start));
            }
            continue;
        };
        let name = String::from_utf8_lossy(&segment[..eq]).trim().to_owned();
        let raw_value = &segment[eq + 1..];
        tags.push((name, raw_value, start + eq + 1..start + segment.len()));
    }
    tags
}

/// The value with all white space (folding included) removed.
fn compact(value: &[u8]) -> String {
    value.iter().filter(|b| !b.is_ascii_whitespace()).map(|b| *b as char).collect()
}

fn base64(name: &str, value: &[u8]) -> Result<Vec<u8>, String> {
    let decoded = mailtest_mime::base64::decode(compact(value).as_bytes());
    if decoded.clean { Ok(decoded.bytes) } else { Err(format!("`{name}=` is not valid base64")) }
}

impl Tags {
    /// Reads the tags of a DKIM-Signature header value; the error says
    /// which tag is missing or wrong.
    pub(crate) fn parse(value: &[u8]) -> Result<Tags, String> {
        let tags = split(value);
        for (index, (name, _, _)) in tags.iter().enumerate() {
            if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') || name.is_empty() {
                return Err(format!("`{name}` is not a tag (a tag is `name=value`)"));
            }
            if tags[..index].iter().any(|(other, _, _)| other == name) {
                return Err(format!("the tag `{name}=` appears twice"));
            }
        }
        let get = |name: &str| tags.iter().find(|(n, _, _)| n == name);
        let required = |name: &str| get(name).ok_or_else(|| format!("the required tag `{name}=` is missing"));
        let text = |name: &str| required(name).map(|(_, value, _)| compact(value));

        let version = text("v")?;
        if version != "1" {
            return Err(format!("`v={version}`: only DKIM version 1 exists"));
        }
        let algorithm = match text("a")?.to_ascii_lowercase().as_str() {
            "rsa-sha256" => Algorithm::RsaSha256,
            "ed25519-sha256" => Algorithm::Ed25519Sha256,
            "rsa-sha1" => {
                return Err("`a=rsa-sha1` is not accepted: RFC 8301 forbids SHA-1 signatures".to_owned());
            }
            other => return Err(format!("`a={other}` is an algorithm this verifier does not know")),
        };
        let (_, b_raw, b_value) = required("b")?;
        let signature = base64("b", b_raw)?;
        let body_hash = base64("bh", required("bh")?.1)?;
        let (header_canon, body_canon) =
            match get("c").map(|(_, value, _)| compact(value).to_ascii_lowercase()) {
                None => (Canonicalization::Simple, Canonicalization::Simple),
                Some(c) => {
                    let (header, body) = c.split_once('/').unwrap_or((&c, "simple"));
                    match (Canonicalization::parse(header), Canonicalization::parse(body)) {
                        (Some(header), Some(body)) => (header, body),
                        _ => return Err(format!("`c={c}` is not simple or relaxed")),
                    }
                }
            };
        let domain = text("d")?.to_ascii_lowercase();
        let selector = text("s")?.to_ascii_lowercase();
        let headers: Vec<String> =
            text("h")?.split(':').filter(|name| !name.is_empty()).map(str::to_owned).collect();
        if !headers.iter().any(|name| name.eq_ignore_ascii_case("from")) {
            return Err("`h=` does not sign From, which RFC 6376 requires".to_owned());
        }
        let length = match get("l") {
            None => None,
            Some((_, value, _)) => {
                let l = compact(value);
                Some(l.parse().map_err(|_| format!("`l={l}` is not a number"))?)
            }
        };
        if let Some((_, value, _)) = get("i") {
            let identity = compact(value).to_ascii_lowercase();
            let identity_domain = identity.rsplit_once('@').map_or(identity.as_str(), |(_, domain)| domain);
            if identity_domain != domain && !identity_domain.ends_with(&format!(".{domain}")) {
                return Err(format!("`i={identity}` is not in the signing domain `d={domain}`"));
            }
        }
        Ok(Tags {
            algorithm,
            signature,
            body_hash,
            header_canon,
            body_canon,
            domain,
            selector,
            headers,
            length,
            b_value: b_value.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_tags_and_where_b_is() {
        let value = b" v=1; a=rsa-sha256; d=Example.com; s=s1; c=relaxed/simple;\r\n h=From:To; l=3; bh=YWJj;\r\n b=ZG Vm";
        let tags = Tags::parse(value).unwrap();
        assert_eq!((tags.domain.as_str(), tags.selector.as_str()), ("example.com", "s1"));
        assert_eq!(
            (tags.header_canon, tags.body_canon),
            (Canonicalization::Relaxed, Canonicalization::Simple)
        );
        assert_eq!(tags.headers, ["From", "To"]);
        assert_eq!(
            (tags.length, tags.body_hash.as_slice(), tags.signature.as_slice()),
            (Some(3), &b"abc"[..], &b"def"[..])
        );
        assert_eq!(&value[tags.b_value.clone()], b"ZG Vm");
    }

    #[test]
    fn says_what_is_wrong() {
        let cases: [(&[u8], &str); 6] = [
            (b"v=1; a=rsa-sha256; d=e.com; s=s; h=To; bh=YQ==; b=YQ==", "does not sign From"),
            (b"v=2; a=rsa-sha256; d=e.com; s=s; h=From; bh=YQ==; b=YQ==", "version 1"),
            (b"v=1; a=rsa-sha1; d=e.com; s=s; h=From; bh=YQ==; b=YQ==", "RFC 8301"),
            (b"v=1; a=rsa-sha256; d=e.com; h=From; bh=YQ==; b=YQ==", "`s=` is missing"),
            (b"v=1; a=rsa-sha256; d=e.com; d=f.com; s=s; h=From; bh=YQ==; b=YQ==", "appears twice"),
            (
                b"v=1; a=rsa-sha256; d=e.com; s=s; i=@evil.com; h=From; bh=YQ==; b=YQ==",
                "not in the signing domain",
            ),
        ];
        for (value, expected) in cases {
            let error = Tags::parse(value).unwrap_err();
            assert!(error.contains(expected), "{error}");
        }
    }
}
