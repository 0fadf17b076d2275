//! The 情况说明 as a Word document (.docx, Office Open XML): A4 with the margins of official
//! documents, a centred title, headings as Word headings (outline levels, so they show in the
//! navigation pane, and bold, so they stand out where the heading fonts are missing), body
//! paragraphs indented two characters, the edition's fonts for East
//! Asian text, page numbers in the footer as official documents print them (`— 1 —`), and every
//! blank left for the clerk (`____`) highlighted.

use crate::edition::NarrativeSpec;
use crate::narrative::{Block, Composed};
use std::io::Write;
use zip::write::SimpleFileOptions;

/// The document's bytes.
///
/// # Errors
///
/// When the zip container cannot be written (only a failing allocation would cause it).
pub fn docx(spec: &NarrativeSpec, composed: &Composed) -> zip::result::ZipResult<Vec<u8>> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let parts = [
        ("[Content_Types].xml", CONTENT_TYPES.to_owned()),
        ("_rels/.rels", RELS.to_owned()),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS.to_owned()),
        ("docProps/core.xml", core(&composed.title)),
        ("word/styles.xml", styles(spec)),
        ("word/footer1.xml", FOOTER.to_owned()),
        ("word/document.xml", document(spec, composed)),
    ];
    for (name, xml) in parts {
        zip.start_file(name, options)?;
        zip.write_all(xml.as_bytes())?;
    }
    Ok(zip.finish()?.into_inner())
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>"#;

const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>"#;

const DOCUMENT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/></Relationships>"#;

/// The footer: the page number between two dashes, centred, in 宋体 四号 (GB/T 9704).
const FOOTER: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:ftr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:pPr><w:ind w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:rFonts w:ascii="宋体" w:hAnsi="宋体" w:eastAsia="宋体"/><w:sz w:val="28"/></w:rPr><w:t xml:space="preserve">— </w:t></w:r><w:r><w:rPr><w:rFonts w:ascii="宋体" w:hAnsi="宋体" w:eastAsia="宋体"/><w:sz w:val="28"/></w:rPr><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:rPr><w:rFonts w:ascii="宋体" w:hAnsi="宋体" w:eastAsia="宋体"/><w:sz w:val="28"/></w:rPr><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:rPr><w:rFonts w:ascii="宋体" w:hAnsi="宋体" w:eastAsia="宋体"/><w:sz w:val="28"/></w:rPr><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:rPr><w:rFonts w:ascii="宋体" w:hAnsi="宋体" w:eastAsia="宋体"/><w:sz w:val="28"/></w:rPr><w:t>1</w:t></w:r><w:r><w:rPr><w:rFonts w:ascii="宋体" w:hAnsi="宋体" w:eastAsia="宋体"/><w:sz w:val="28"/></w:rPr><w:fldChar w:fldCharType="end"/></w:r><w:r><w:rPr><w:rFonts w:ascii="宋体" w:hAnsi="宋体" w:eastAsia="宋体"/><w:sz w:val="28"/></w:rPr><w:t xml:space="preserve"> —</w:t></w:r></w:p></w:ftr>"#;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// A text as XML character data or attribute value: markup characters escaped, and the
/// characters XML 1.0 forbids (controls other than tab and line breaks, lone surrogates cannot
/// occur in a `str`, U+FFFE and U+FFFF) left out — Word refuses a document that has one.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(ch),
            c if c < ' ' || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

fn core(title: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{}</dc:title><dc:creator>yusuan</dc:creator></cp:coreProperties>"#,
        escape(title)
    )
}

/// A paragraph style: East Asian font, size (points), bold, alignment, outline level, indent.
fn style(id: &str, name: &str, font: &str, points: u32, extra_ppr: &str, bold: bool) -> String {
    let font = escape(font);
    format!(
        r#"<w:style w:type="paragraph" w:styleId="{id}"><w:name w:val="{name}"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr>{extra_ppr}</w:pPr><w:rPr><w:rFonts w:eastAsia="{font}"/>{}<w:sz w:val="{half}"/><w:szCs w:val="{half}"/></w:rPr></w:style>"#,
        if bold { "<w:b/>" } else { "" },
        half = points * 2,
    )
}

fn styles(spec: &NarrativeSpec) -> String {
    let [title, heading, subheading, body] = &spec.fonts;
    let [title_pt, heading_pt, subheading_pt, body_pt] = spec.sizes;
    // Lines 28 points apart (exact), as in official documents set in 三号.
    let line = body_pt * 35;
    let indent = r#"<w:ind w:firstLineChars="200" w:firstLine="640"/>"#;
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{W}"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="{body_font}" w:cs="Times New Roman"/><w:sz w:val="{half}"/><w:szCs w:val="{half}"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:before="0" w:after="0" w:line="{line}" w:lineRule="exact"/><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/><w:pPr>{indent}</w:pPr></w:style>{}{}{}</w:styles>"#,
        style(
            "Title",
            "Title",
            title,
            title_pt,
            &format!(
                r#"<w:spacing w:before="0" w:after="{line}" w:line="{}" w:lineRule="exact"/><w:ind w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="center"/><w:outlineLvl w:val="0"/>"#,
                title_pt * 30
            ),
            false
        ),
        style(
            "Heading1",
            "heading 1",
            heading,
            heading_pt,
            &format!(r#"<w:keepNext/>{indent}<w:outlineLvl w:val="1"/>"#),
            true
        ),
        style(
            "Heading2",
            "heading 2",
            subheading,
            subheading_pt,
            &format!(r#"<w:keepNext/>{indent}<w:outlineLvl w:val="2"/>"#),
            true
        ),
        body_font = escape(body),
        half = body_pt * 2,
    )
}

/// Runs of a text: the blanks (`____`) highlighted for the clerk.
fn runs(spec: &NarrativeSpec, text: &str) -> String {
    let mut out = String::new();
    let run = |out: &mut String, t: &str, marked: bool| {
        if t.is_empty() {
            return;
        }
        let rpr = if marked {
            r#"<w:rPr><w:highlight w:val="yellow"/></w:rPr>"#
        } else {
            ""
        };
        out.push_str(&format!(
            r#"<w:r>{rpr}<w:t xml:space="preserve">{}</w:t></w:r>"#,
            escape(t)
        ));
    };
    let mut rest = text;
    while let Some(at) = (!spec.blank.is_empty())
        .then(|| rest.find(spec.blank.as_str()))
        .flatten()
    {
        run(&mut out, &rest[..at], false);
        run(&mut out, &spec.blank, true);
        rest = &rest[at + spec.blank.len()..];
    }
    run(&mut out, rest, false);
    out
}

fn document(spec: &NarrativeSpec, composed: &Composed) -> String {
    let mut body = String::new();
    let paragraph = |body: &mut String, style: Option<&str>, text: &str| {
        let ppr = style.map_or(String::new(), |s| {
            format!(r#"<w:pPr><w:pStyle w:val="{s}"/></w:pPr>"#)
        });
        body.push_str(&format!("<w:p>{ppr}{}</w:p>", runs(spec, text)));
    };
    paragraph(&mut body, Some("Title"), &composed.title);
    for block in &composed.blocks {
        match block {
            Block::Heading { level: 1, text } => paragraph(&mut body, Some("Heading1"), text),
            Block::Heading { text, .. } => paragraph(&mut body, Some("Heading2"), text),
            Block::Paragraph(text) => paragraph(&mut body, None, text),
        }
    }
    // A4, with the margins of GB/T 9704 (official documents): 37 mm top, 35 bottom, 28 left,
    // 26 right (in twips).
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="{W}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>{body}<w:sectPr><w:footerReference w:type="default" r:id="rId2"/><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr></w:body></w:document>"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edition::Edition;

    #[test]
    fn blanks_are_highlighted_and_text_escaped() {
        let edition = Edition::builtin();
        let spec = edition.narrative.as_ref().unwrap();
        let xml = runs(spec, "现有公务用车____辆 <A&B>");
        assert_eq!(
            xml,
            concat!(
                r#"<w:r><w:t xml:space="preserve">现有公务用车</w:t></w:r>"#,
                r#"<w:r><w:rPr><w:highlight w:val="yellow"/></w:rPr><w:t xml:space="preserve">____</w:t></w:r>"#,
                r#"<w:r><w:t xml:space="preserve">辆 &lt;A&amp;B&gt;</w:t></w:r>"#
            )
        );
    }

    #[test]
    fn the_document_reads_back_paragraph_by_paragraph() {
        let edition = Edition::builtin();
        let spec = edition.narrative.as_ref().unwrap();
        let composed = Composed {
            title: "标题".into(),
            blocks: vec![
                Block::Heading {
                    level: 1,
                    text: "一、收支".into(),
                },
                Block::Paragraph("总数1347.44万元。".into()),
            ],
        };
        let bytes = docx(spec, &composed).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("说明.docx");
        std::fs::write(&path, bytes).unwrap();
        let read = crate::read::read_document(&path).unwrap();
        let texts: Vec<&str> = read.paragraphs.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, ["标题", "一、收支", "总数1347.44万元。"]);
        // The footer numbers the pages, and the document refers to it.
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
        let mut footer = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("word/footer1.xml").unwrap(), &mut footer)
            .unwrap();
        assert!(footer.contains(" PAGE "));
        let mut document = String::new();
        std::io::Read::read_to_string(
            &mut zip.by_name("word/document.xml").unwrap(),
            &mut document,
        )
        .unwrap();
        assert!(document.contains(r#"<w:footerReference w:type="default" r:id="rId2"/>"#));
    }

    #[test]
    fn every_part_is_well_formed_whatever_the_texts_hold() {
        let edition = Edition::builtin();
        let spec = edition.narrative.as_ref().unwrap();
        // A unit name from a JSON input may hold any character.
        let hostile = "单位\u{1}\u{8}\u{b}\u{c}\u{1f}\u{fffe}\u{ffff}<&>\"'\t名";
        let composed = Composed {
            title: hostile.into(),
            blocks: vec![
                Block::Heading {
                    level: 1,
                    text: hostile.into(),
                },
                Block::Paragraph(format!("{hostile}____{hostile}")),
            ],
        };
        let bytes = docx(spec, &composed).unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        for i in 0..zip.len() {
            let mut part = zip.by_index(i).unwrap();
            let name = String::from_utf8_lossy(part.name_raw()).into_owned();
            let mut xml = String::new();
            std::io::Read::read_to_string(&mut part, &mut xml).unwrap();
            let mut reader = quick_xml::Reader::from_str(&xml);
            loop {
                match reader.read_event() {
                    Ok(quick_xml::events::Event::Eof) => break,
                    Ok(quick_xml::events::Event::Text(t)) => {
                        let text = t.into_inner();
                        assert!(
                            !text.chars().any(|c| c < ' ' && !"\t\n\r".contains(c)),
                            "{name}: {text:?}"
                        );
                    }
                    Ok(_) => {}
                    Err(e) => panic!("{name} is not well-formed: {e}"),
                }
            }
        }
        assert_eq!(escape(hostile), "单位&lt;&amp;&gt;&quot;'\t名");
    }
}
