//! The receipt as a one-page PDF, written by hand: a real file a viewer
//! opens, without a PDF crate for a few lines of text.

use crate::orders::{Order, money};

pub(crate) fn receipt(order: &Order) -> Vec<u8> {
    let mut lines = vec![format!("Receipt for order {}", order.id), String::new()];
    lines.extend(order.items.iter().map(|item| format!("{}  {}", item.name, money(item.cents))));
    lines.push(String::new());
    lines.push(format!("Total  {}", money(order.total_cents())));
    page(&lines)
}

/// A PDF of one A4 page with `lines` in Helvetica.
fn page(lines: &[String]) -> Vec<u8> {
    let mut text = String::from("BT /F1 12 Tf 16 TL 72 770 Td\n");
    for line in lines {
        text.push_str(&format!("({}) Tj T*\n", escape(line)));
    }
    text.push_str("ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] \
         /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>"
            .to_owned(),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_owned(),
        format!("<< /Length {} >>\nstream\n{text}\nendstream", text.len()),
    ];

    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (at, object) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{object}\nendobj\n", at + 1).as_bytes());
    }
    // The cross-reference table: where each object starts, 20 bytes a line.
    let xref = pdf.len();
    let mut tail = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for offset in offsets {
        tail.push_str(&format!("{offset:010} 00000 n \n"));
    }
    tail.push_str(&format!(
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    ));
    pdf.extend_from_slice(tail.as_bytes());
    pdf
}

/// A PDF string literal's content: `\`, `(` and `)` escaped, Latin-1 letters
/// (`é`, `ü`, `ß`) as their WinAnsi codes, and what else the standard font
/// cannot show as `?`.
fn escape(line: &str) -> String {
    let mut escaped = String::with_capacity(line.len());
    for c in line.chars() {
        match c {
            '\\' | '(' | ')' => {
                escaped.push('\\');
                escaped.push(c);
            }
            ' '..='~' => escaped.push(c),
            '\u{a0}'..='\u{ff}' => escaped.push_str(&format!("\\{:03o}", u32::from(c))),
            _ => escaped.push('?'),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cross_reference_table_points_at_each_object() {
        let pdf = page(&["Tea (green)  EUR 4.50".to_owned(), "Caf\u{e9} \u{2615}".to_owned()]);
        let text = String::from_utf8(pdf).unwrap();
        assert!(text.starts_with("%PDF-1.4\n") && text.ends_with("%%EOF\n"));

        let startxref: usize =
            text.rsplit("startxref\n").next().unwrap().lines().next().unwrap().parse().unwrap();
        let table = &text[startxref..];
        assert!(table.starts_with("xref\n0 6\n"));
        for (n, entry) in table.lines().skip(3).take(5).enumerate() {
            let offset: usize = entry[..10].parse().unwrap();
            assert!(text[offset..].starts_with(&format!("{} 0 obj\n", n + 1)), "object {}", n + 1);
        }
        assert!(text.contains("(Tea \\(green\\)  EUR 4.50) Tj"));
        assert!(text.contains("(Caf\\351 ?) Tj"), "é in WinAnsi, the rest as ?");
    }

    #[test]
    fn the_stream_length_is_the_length_of_its_content() {
        let text = String::from_utf8(page(&["One line".to_owned()])).unwrap();
        let length: usize =
            text.split("/Length ").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
        let start = text.find(">>\nstream\n").unwrap() + ">>\nstream\n".len();
        let content = &text[start..text.find("\nendstream").unwrap()];
        assert_eq!(content.len(), length);
    }
}
