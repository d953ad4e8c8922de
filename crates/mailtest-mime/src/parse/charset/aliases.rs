//! Charset labels mail carries that the WHATWG Encoding Standard does not
//! list, each read as the encoding it names: IANA's registered aliases
//! (`csWindows1252`, `ISO_8859-1:1987`, `latin8`, …) and the names Microsoft
//! mailers use (`cp936`, `ks_c_5601-1989`). Labels are compared in lower
//! case with `_` read as `-`, as mailers mix the two.

use encoding_rs::{
    EUC_JP, EUC_KR, Encoding, GB18030, GBK, ISO_8859_13, ISO_8859_14, ISO_8859_15, ISO_8859_16, KOI8_U,
    UTF_16BE, UTF_16LE, WINDOWS_874, WINDOWS_1250, WINDOWS_1251, WINDOWS_1252, WINDOWS_1253, WINDOWS_1254,
    WINDOWS_1255, WINDOWS_1256, WINDOWS_1257, WINDOWS_1258,
};

/// What an alias reads as: an encoding of the standard, or one of the two
/// this crate reads itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Alias {
    Whatwg(&'static Encoding),
    Ibm850,
    Utf7,
}

impl Alias {
    /// A byte a character.
    pub(super) fn is_single_byte(self) -> bool {
        match self {
            Alias::Whatwg(encoding) => encoding.is_single_byte(),
            Alias::Ibm850 => true,
            Alias::Utf7 => false,
        }
    }
}

/// The encoding `label` names, when it is one of the aliases.
pub(super) fn lookup(label: &str) -> Option<Alias> {
    let label = label.to_ascii_lowercase().replace('_', "-");
    // `iso-8859-2:1987`: the registered names carry the standard's year.
    let without_year = label.split_once(':').map_or(label.as_str(), |(name, _)| name);
    if without_year != label
        && let Some(encoding) = Encoding::for_label_no_replacement(without_year.as_bytes())
    {
        return Some(Alias::Whatwg(encoding));
    }
    let alias = match without_year {
        "850" | "cp850" | "ibm850" | "cspc850multilingual" => Alias::Ibm850,
        "utf-7" | "csutf7" | "unicode-1-1-utf-7" => Alias::Utf7,
        "ansi-x3.4-1968" | "cswindows1252" => Alias::Whatwg(WINDOWS_1252),
        "cp936" | "ms936" | "windows-936" | "csgbk" | "gb-2312-80" => Alias::Whatwg(GBK),
        "csgb18030" => Alias::Whatwg(GB18030),
        "ks-c-5601-1987" | "ks-c-5601-1989" => Alias::Whatwg(EUC_KR),
        "extended-unix-code-packed-format-for-japanese" => Alias::Whatwg(EUC_JP),
        "csiso885913" => Alias::Whatwg(ISO_8859_13),
        "csiso885914" | "iso-celtic" | "iso-ir-199" | "l8" | "latin8" => Alias::Whatwg(ISO_8859_14),
        "csiso885915" | "latin-9" => Alias::Whatwg(ISO_8859_15),
        "csiso885916" | "iso-ir-226" | "l10" | "latin10" => Alias::Whatwg(ISO_8859_16),
        "cskoi8u" => Alias::Whatwg(KOI8_U),
        "cstis620" | "cswindows874" => Alias::Whatwg(WINDOWS_874),
        "csutf16" | "csutf16le" => Alias::Whatwg(UTF_16LE),
        "csutf16be" => Alias::Whatwg(UTF_16BE),
        "cswindows1250" => Alias::Whatwg(WINDOWS_1250),
        "cswindows1251" => Alias::Whatwg(WINDOWS_1251),
        "cswindows1253" => Alias::Whatwg(WINDOWS_1253),
        "cswindows1254" => Alias::Whatwg(WINDOWS_1254),
        "cswindows1255" => Alias::Whatwg(WINDOWS_1255),
        "cswindows1256" => Alias::Whatwg(WINDOWS_1256),
        "cswindows1257" => Alias::Whatwg(WINDOWS_1257),
        "cswindows1258" => Alias::Whatwg(WINDOWS_1258),
        // `iso_8859-2`: the standard knows the name once `_` is `-`.
        other => Alias::Whatwg(Encoding::for_label_no_replacement(other.as_bytes())?),
    };
    Some(alias)
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::{
        ISO_8859_2, ISO_8859_3, ISO_8859_4, ISO_8859_5, ISO_8859_6, ISO_8859_7, ISO_8859_8, ISO_8859_10,
    };

    #[test]
    fn registered_aliases_and_microsoft_names() {
        assert_eq!(lookup("ISO_8859-2:1987"), Some(Alias::Whatwg(ISO_8859_2)));
        assert_eq!(lookup("iso_8859-5"), Some(Alias::Whatwg(ISO_8859_5)));
        assert_eq!(lookup("csWindows1252"), Some(Alias::Whatwg(WINDOWS_1252)));
        assert_eq!(lookup("KS_C_5601-1989"), Some(Alias::Whatwg(EUC_KR)));
        assert_eq!(lookup("latin8"), Some(Alias::Whatwg(ISO_8859_14)));
        assert_eq!(lookup("IBM850"), Some(Alias::Ibm850));
        assert_eq!(lookup("UTF_7"), Some(Alias::Utf7));
        assert_eq!(lookup("x-unknown"), None);
        for unused in [ISO_8859_3, ISO_8859_4, ISO_8859_6, ISO_8859_7, ISO_8859_8, ISO_8859_10] {
            let name = unused.name().to_ascii_lowercase().replace('-', "_");
            assert_eq!(lookup(&format!("{name}:1988")), Some(Alias::Whatwg(unused)), "{name}");
        }
    }
}
