//! The little of CSS the accessibility rules read: an inline `style`'s
//! declarations, colours, font sizes, and whether it hides what it styles.

/// An sRGB colour.
#[derive(Clone, Copy, PartialEq, Debug)]
pub(crate) struct Color {
    pub(crate) r: u8,
    pub(crate) g: u8,
    pub(crate) b: u8,
}

/// The named colours mail is written with (CSS's basic set and greys).
const NAMED: [(&str, [u8; 3]); 22] = [
    ("black", [0, 0, 0]),
    ("white", [255, 255, 255]),
    ("red", [255, 0, 0]),
    ("green", [0, 128, 0]),
    ("blue", [0, 0, 255]),
    ("yellow", [255, 255, 0]),
    ("orange", [255, 165, 0]),
    ("gray", [128, 128, 128]),
    ("grey", [128, 128, 128]),
    ("silver", [192, 192, 192]),
    ("lightgray", [211, 211, 211]),
    ("lightgrey", [211, 211, 211]),
    ("gainsboro", [220, 220, 220]),
    ("whitesmoke", [245, 245, 245]),
    ("darkgray", [169, 169, 169]),
    ("darkgrey", [169, 169, 169]),
    ("navy", [0, 0, 128]),
    ("maroon", [128, 0, 0]),
    ("purple", [128, 0, 128]),
    ("teal", [0, 128, 128]),
    ("olive", [128, 128, 0]),
    ("lime", [0, 255, 0]),
];

impl Color {
    pub(crate) const BLACK: Color = Color { r: 0, g: 0, b: 0 };
    pub(crate) const WHITE: Color = Color { r: 255, g: 255, b: 255 };

    /// `#abc`, `#aabbcc`, `rgb(1, 2, 3)`, or a common name; `None` for
    /// anything else (`transparent`, `inherit`, a gradient), which the
    /// rules then leave alone.
    pub(crate) fn parse(text: &str) -> Option<Color> {
        let text = text.trim().trim_end_matches("!important").trim();
        if let Some(hex) = text.strip_prefix('#') {
            let digits: Vec<u8> =
                hex.chars().map(|c| c.to_digit(16).map(|d| d as u8)).collect::<Option<_>>()?;
            return match digits[..] {
                [r, g, b] => Some(Color { r: r * 17, g: g * 17, b: b * 17 }),
                [r1, r2, g1, g2, b1, b2] => Some(Color { r: r1 * 16 + r2, g: g1 * 16 + g2, b: b1 * 16 + b2 }),
                _ => None,
            };
        }
        let lower = text.to_ascii_lowercase();
        if let Some(inner) = lower.strip_prefix("rgb(").and_then(|rest| rest.strip_suffix(')')) {
            let parts: Vec<u8> = inner
                .split([',', ' '])
                .filter(|part| !part.is_empty())
                .map(|part| part.parse::<u8>().ok())
                .collect::<Option<_>>()?;
            return match parts[..] {
                [r, g, b] => Some(Color { r, g, b }),
                _ => None,
            };
        }
        NAMED.iter().find(|(name, _)| *name == lower).map(|(_, [r, g, b])| Color { r: *r, g: *g, b: *b })
    }

    /// WCAG 2's relative luminance.
    fn luminance(self) -> f64 {
        let channel = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.039_28 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
        };
        0.2126 * channel(self.r) + 0.7152 * channel(self.g) + 0.0722 * channel(self.b)
    }

    /// WCAG 2's contrast ratio, 1 to 21.
    pub(crate) fn contrast(self, other: Color) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        let (light, dark) = if a > b { (a, b) } else { (b, a) };
        (light + 0.05) / (dark + 0.05)
    }
}

impl std::fmt::Display for Color {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "#{:02x}{:02x}{:02x}", self.r, self.g, self.b)
    }
}

/// The properties the rules read (any other declaration is skipped).
const READ: [&str; 12] = [
    "color",
    "background-color",
    "background",
    "background-image",
    "font-size",
    "font-weight",
    "text-align",
    "display",
    "visibility",
    "mso-hide",
    "max-height",
    "opacity",
];

/// The declarations of an inline `style` the rules read: for each
/// property of [`READ`], the last value written (the one that wins). Read
/// in one pass with no allocation: a newsletter styles hundreds of tags.
pub(crate) struct Declarations<'a> {
    values: [Option<&'a str>; READ.len()],
}

impl<'a> Declarations<'a> {
    pub(crate) fn parse(style: &'a str) -> Declarations<'a> {
        let mut values = [None; READ.len()];
        for declaration in style.split(';') {
            let Some((name, value)) = declaration.split_once(':') else { continue };
            let name = name.trim();
            if let Some(read) = READ.iter().position(|read| read.eq_ignore_ascii_case(name)) {
                values[read] = Some(value.trim());
            }
        }
        Declarations { values }
    }

    /// The last value of `name` (one of [`READ`]), `!important` dropped.
    pub(crate) fn get(&self, name: &str) -> Option<&'a str> {
        debug_assert!(READ.contains(&name), "`{name}` is not a property the rules read");
        let read = READ.iter().position(|read| *read == name)?;
        self.values[read].map(|value| value.trim_end_matches("!important").trim())
    }

    pub(crate) fn color(&self, name: &str) -> Option<Color> {
        self.get(name).and_then(Color::parse)
    }

    /// `background-color`, or a colour in the `background` shorthand.
    pub(crate) fn background(&self) -> Option<Color> {
        self.color("background-color").or_else(|| {
            let shorthand = self.get("background")?;
            if shorthand.contains("url(") || shorthand.contains("gradient(") {
                return None;
            }
            shorthand.split_whitespace().find_map(Color::parse)
        })
    }

    /// Whether a background image or gradient is set, which may be what
    /// the text is read against.
    pub(crate) fn has_background_image(&self) -> bool {
        self.get("background-image").is_some()
            || self
                .get("background")
                .is_some_and(|value| value.contains("url(") || value.contains("gradient("))
    }

    /// `font-size` in px (`pt` converted); relative sizes are `None`.
    pub(crate) fn font_px(&self) -> Option<f32> {
        let size = self.get("font-size")?.to_ascii_lowercase();
        if let Some(px) = size.strip_suffix("px") {
            px.trim().parse().ok()
        } else if let Some(pt) = size.strip_suffix("pt") {
            pt.trim().parse::<f32>().ok().map(|pt| pt * 4.0 / 3.0)
        } else {
            None
        }
    }

    /// Whether it hides the element: `display:none`, `visibility:hidden`,
    /// `mso-hide:all`, or the preheader tricks (`max-height:0`,
    /// `font-size:0`/`1px`, `opacity:0`).
    pub(crate) fn hides(&self) -> bool {
        let is = |name: &str, values: &[&str]| {
            self.get(name).is_some_and(|value| values.iter().any(|v| value.eq_ignore_ascii_case(v)))
        };
        is("display", &["none"])
            || is("visibility", &["hidden"])
            || is("mso-hide", &["all"])
            || is("max-height", &["0", "0px"])
            || is("opacity", &["0"])
            || self.font_px().is_some_and(|px| px < 2.0)
            || is("font-size", &["0"])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_colours_and_measures_contrast_as_wcag_does() {
        assert_eq!(Color::parse("#FFF"), Some(Color::WHITE));
        assert_eq!(Color::parse("rgb(0, 0, 0)"), Some(Color::BLACK));
        assert_eq!(Color::parse(" Black !important"), Some(Color::BLACK));
        assert_eq!(Color::parse("transparent"), None);
        assert!((Color::BLACK.contrast(Color::WHITE) - 21.0).abs() < 0.01);
        // #777 on white: 4.48, just under AA.
        let grey = Color::parse("#777777").unwrap();
        assert!((grey.contrast(Color::WHITE) - 4.48).abs() < 0.01);
    }

    #[test]
    fn reads_declarations_the_last_one_winning() {
        let style =
            Declarations::parse("color: red; font-size: 9pt; background: #fff url(x.png); color:#000");
        assert_eq!(style.color("color"), Some(Color::BLACK));
        assert_eq!(style.font_px(), Some(12.0));
        assert_eq!(style.background(), None);
        assert!(Declarations::parse("display:none").hides());
        assert!(Declarations::parse("font-size:1px;line-height:1px").hides());
        assert!(!Declarations::parse("font-size:12px").hides());
    }
}
