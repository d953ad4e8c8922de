//! The public keys a test provides, in place of DNS.

use rsa::pkcs1::DecodeRsaPublicKey;
use rsa::pkcs8::DecodePublicKey;

/// A public key for one selector of one domain: what DNS would publish at
/// `selector._domainkey.domain`.
///
/// ```
/// let key = mailtest_dkim::DkimKey::from_dns_record(
///     "s1",
///     "example.com",
///     "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",
/// )
/// .unwrap();
/// assert_eq!(key.to_string(), "s1._domainkey.example.com (ed25519)");
/// ```
#[derive(Clone, Debug)]
pub struct DkimKey {
    pub(crate) selector: String,
    pub(crate) domain: String,
    pub(crate) key: PublicKey,
}

#[derive(Clone, Debug)]
pub(crate) enum PublicKey {
    Rsa(rsa::RsaPublicKey),
    Ed25519(ed25519_dalek::VerifyingKey),
}

/// Why a key could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyError(String);

impl std::fmt::Display for KeyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for KeyError {}

impl DkimKey {
    /// The key from the text of its DNS TXT record:
    /// `v=DKIM1; k=rsa; p=MIIBIjANBg…` (`k=rsa` is the default) or
    /// `v=DKIM1; k=ed25519; p=…` (32 bytes, RFC 8463).
    ///
    /// # Errors
    ///
    /// A record without `p=`, with an empty `p=` (a revoked key), with a
    /// `k=` other than `rsa` or `ed25519`, or whose key does not decode.
    pub fn from_dns_record(selector: &str, domain: &str, record: &str) -> Result<DkimKey, KeyError> {
        let tags: Vec<(&str, &str)> = record
            .split(';')
            .filter_map(|tag| tag.split_once('='))
            .map(|(name, value)| (name.trim(), value.trim()))
            .collect();
        let get = |name: &str| tags.iter().find(|(n, _)| *n == name).map(|(_, value)| *value);
        let name = format!("{selector}._domainkey.{domain}");
        let p =
            get("p").ok_or_else(|| KeyError(format!("the record of {name} has no `p=` (the public key)")))?;
        if p.is_empty() {
            return Err(KeyError(format!("the record of {name} has an empty `p=`: the key is revoked")));
        }
        let bytes =
            decode_base64(p).ok_or_else(|| KeyError(format!("the `p=` of {name} is not valid base64")))?;
        match get("k").unwrap_or("rsa") {
            "rsa" => DkimKey::rsa_der(selector, domain, &bytes),
            "ed25519" => DkimKey::ed25519(selector, domain, &bytes),
            other => {
                Err(KeyError(format!("the record of {name} has `k={other}`; keys are `rsa` or `ed25519`")))
            }
        }
    }

    /// An RSA public key in PEM (`-----BEGIN PUBLIC KEY-----`, or PKCS#1's
    /// `-----BEGIN RSA PUBLIC KEY-----`), as `openssl rsa -pubout` writes.
    ///
    /// # Errors
    ///
    /// When the text is not such a key.
    pub fn rsa_pem(selector: &str, domain: &str, pem: &str) -> Result<DkimKey, KeyError> {
        let body: String = pem.lines().filter(|line| !line.starts_with("-----")).collect();
        let der = decode_base64(&body).ok_or_else(|| KeyError("the PEM holds no valid base64".to_owned()))?;
        DkimKey::rsa_der(selector, domain, &der)
    }

    /// An RSA public key in DER: SubjectPublicKeyInfo (what DKIM records
    /// hold) or PKCS#1 RSAPublicKey.
    ///
    /// # Errors
    ///
    /// When the bytes are neither.
    pub fn rsa_der(selector: &str, domain: &str, der: &[u8]) -> Result<DkimKey, KeyError> {
        let key = rsa::RsaPublicKey::from_public_key_der(der)
            .or_else(|_| rsa::RsaPublicKey::from_pkcs1_der(der))
            .map_err(|error| KeyError(format!("not an RSA public key: {error}")))?;
        Ok(DkimKey::new(selector, domain, PublicKey::Rsa(key)))
    }

    /// An Ed25519 public key: its 32 bytes.
    ///
    /// # Errors
    ///
    /// When there are not 32 bytes, or they are no point of the curve.
    pub fn ed25519(selector: &str, domain: &str, bytes: &[u8]) -> Result<DkimKey, KeyError> {
        let bytes: [u8; 32] = bytes
            .try_into()
            .map_err(|_| KeyError(format!("an Ed25519 public key has 32 bytes, not {}", bytes.len())))?;
        let key = ed25519_dalek::VerifyingKey::from_bytes(&bytes)
            .map_err(|_| KeyError("the 32 bytes are not an Ed25519 public key".to_owned()))?;
        Ok(DkimKey::new(selector, domain, PublicKey::Ed25519(key)))
    }

    fn new(selector: &str, domain: &str, key: PublicKey) -> DkimKey {
        DkimKey {
            selector: selector.trim().to_ascii_lowercase(),
            domain: domain.trim().trim_end_matches('.').to_ascii_lowercase(),
            key,
        }
    }

    /// The domain (`d=`) it signs for.
    ///
    /// ```
    /// # let key = mailtest_dkim::DkimKey::from_dns_record("s1", "Example.com", "k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=").unwrap();
    /// assert_eq!(key.domain(), "example.com");
    /// ```
    pub fn domain(&self) -> &str {
        &self.domain
    }

    /// The selector (`s=`).
    ///
    /// ```
    /// # let key = mailtest_dkim::DkimKey::from_dns_record("S1", "example.com", "k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=").unwrap();
    /// assert_eq!(key.selector(), "s1");
    /// ```
    pub fn selector(&self) -> &str {
        &self.selector
    }

    pub(crate) fn kind(&self) -> &'static str {
        match self.key {
            PublicKey::Rsa(_) => "rsa",
            PublicKey::Ed25519(_) => "ed25519",
        }
    }
}

impl std::fmt::Display for DkimKey {
    /// `s1._domainkey.example.com (rsa)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}._domainkey.{} ({})", self.selector, self.domain, self.kind())
    }
}

fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let decoded = mailtest_mime::base64::decode(compact.as_bytes());
    decoded.clean.then_some(decoded.bytes)
}
