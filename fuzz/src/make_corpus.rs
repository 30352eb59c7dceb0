//! Writes small seed files (valid and broken workbooks of every format) into
//! `corpus/<target>/` for each fuzz target: `cargo run --bin make_corpus` (from `fuzz/`).

use std::io::{Cursor, Write};
use std::path::Path;
use zip::write::SimpleFileOptions;
use zip::CompressionMethod;

fn xlsx() -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let rows: &[&[&str]] = &[
        &["2026年教育局部门预算整体绩效目标表"],
        &["填报单位：教育局"],
        &[
            "职责序号",
            "部门职责",
            "职责目标",
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值",
        ],
        &[
            "1",
            "教育管理",
            "提高教育质量",
            "产出指标",
            "数量指标",
            "培训教师人数",
            "≥500人",
        ],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32, c as u16, *v).unwrap();
        }
    }
    ws.merge_range(
        0,
        0,
        0,
        6,
        "2026年教育局部门预算整体绩效目标表",
        &rust_xlsxwriter::Format::new(),
    )
    .unwrap();
    ws.write_number(5, 2, 3.5).unwrap();
    wb.save_to_buffer().unwrap()
}

/// A small 项目支出绩效目标表: form block, then the 一级/二级/三级 grid.
fn project_xlsx() -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let rows: &[&[&str]] = &[
        &["2024年度项目支出绩效目标表"],
        &["金额单位：万元"],
        &["项目名称", "校园安全设施改造"],
        &[
            "主管部门及代码",
            "[015001]临沂市教育局",
            "",
            "实施单位",
            "临沂一中",
        ],
        &["项目资金（万元）", "年度资金总额", "250"],
        &["", "其中：财政拨款", "200"],
        &["年度总体目标", "完成12所学校改造"],
        &["绩效指标", "一级指标", "二级指标", "三级指标", "指标值"],
        &["", "产出指标（50分）", "数量指标", "改造学校数量", "≥12所"],
        &["", "满意度指标", "服务对象满意度指标", "师生满意度", "≥90%"],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(r as u32, c as u16, *v).unwrap();
            }
        }
    }
    wb.save_to_buffer().unwrap()
}

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in entries {
        let m = if *name == "mimetype" {
            CompressionMethod::Stored
        } else {
            CompressionMethod::Deflated
        };
        w.start_file(*name, SimpleFileOptions::default().compression_method(m))
            .unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn ods() -> Vec<u8> {
    let content = r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Sheet1"><table:table-row><table:table-cell office:value-type="string"><text:p>职责序号</text:p></table:table-cell><table:table-cell table:number-columns-repeated="3" office:value-type="float" office:value="2"/></table:table-row><table:table-row table:number-rows-repeated="1048575"><table:table-cell table:number-columns-repeated="16384"/></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#;
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>"#;
    zip_of(&[
        (
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
        ),
        ("content.xml", content.as_bytes()),
        ("META-INF/manifest.xml", manifest.as_bytes()),
    ])
}

fn rec(typ: u16, data: &[u8]) -> Vec<u8> {
    let mut v = typ.to_le_bytes().to_vec();
    v.extend_from_slice(&(data.len() as u16).to_le_bytes());
    v.extend_from_slice(data);
    v
}

fn biff(filepass: bool) -> Vec<u8> {
    let bof = |dt: u16| {
        let mut d = vec![0x00, 0x06];
        d.extend_from_slice(&dt.to_le_bytes());
        d.extend_from_slice(&[0; 12]);
        rec(0x0809, &d)
    };
    let mut g = bof(0x0005);
    if filepass {
        g.extend(rec(0x002F, &[1, 0, 1, 0, 1, 0]));
    }
    let pos = (g.len() + 4 + 9 + 4) as u32;
    let mut bs = pos.to_le_bytes().to_vec();
    bs.extend_from_slice(&[0, 0, 1, 0, b'S']);
    g.extend(rec(0x0085, &bs));
    g.extend(rec(0x000A, &[]));
    g.extend(bof(0x0010));
    for (r, c) in [(0u16, 0u16), (2, 3)] {
        let mut n = r.to_le_bytes().to_vec();
        n.extend_from_slice(&c.to_le_bytes());
        n.extend_from_slice(&[0, 0]);
        n.extend_from_slice(&1.5f64.to_le_bytes());
        g.extend(rec(0x0203, &n));
    }
    g.extend(rec(0x000A, &[]));
    g
}

fn cfb_of(streams: &[(&str, &[u8])]) -> Vec<u8> {
    let mut cf = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
    for (name, data) in streams {
        let mut s = cf.create_stream(name).unwrap();
        s.write_all(data).unwrap();
    }
    cf.flush().unwrap();
    cf.into_inner().into_inner()
}

fn main() {
    let x = xlsx();
    let seeds: Vec<(&str, Vec<u8>)> = vec![
        ("table.xlsx", x.clone()),
        ("project.xlsx", project_xlsx()),
        ("truncated.xlsx", x[..x.len() / 2].to_vec()),
        ("table.ods", ods()),
        ("table.xls", cfb_of(&[("Workbook", &biff(false))])),
        ("filepass.xls", cfb_of(&[("Workbook", &biff(true))])),
        (
            "encrypted.xlsx",
            cfb_of(&[
                ("EncryptionInfo", &[4, 0, 4, 0]),
                ("EncryptedPackage", &[7; 600]),
            ]),
        ),
        (
            "fake.xlsb",
            zip_of(&[
                ("[Content_Types].xml", b"<Types/>"),
                ("xl/workbook.bin", b"\x83\x01\x00"),
            ]),
        ),
        (
            "table.csv",
            "职责序号,部门职责\n1,教育管理\n".as_bytes().to_vec(),
        ),
    ];
    for target in ["read_bytes", "container"] {
        let dir = Path::new("corpus").join(target);
        std::fs::create_dir_all(&dir).unwrap();
        for (name, bytes) in &seeds {
            std::fs::write(dir.join(name), bytes).unwrap();
        }
        println!("{} seeds in {}", seeds.len(), dir.display());
    }
}
