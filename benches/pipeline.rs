//! Benchmarks of every command's work against a floor: a bare calamine read of the same file(s).
//!
//! Results are meant to be read as ratios to the floor measured in the same
//! run (the machines are shared and noisy). Data is generated deterministically
//! (`jixiao::synth`) and written once with the official writer, so the files
//! have real merged cells; it is cached in `target/bench-data/`.
//!
//! `JIXIAO_BENCH_SIZES=2000,20000` limits the table sizes (default 2000,20000,100000).

use calamine::{open_workbook_auto, Reader, Sheets};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use jixiao::read::{read_file, ReadOptions};
use jixiao::template::Template;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

fn data_dir() -> PathBuf {
    let d = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn sizes() -> Vec<usize> {
    std::env::var("JIXIAO_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![2_000, 20_000, 100_000])
}

/// Writes a table once and reuses it across runs.
fn cached(name: &str, make: impl FnOnce() -> jixiao::model::Table) -> PathBuf {
    let p = data_dir().join(name);
    if !p.exists() {
        let t = make();
        let bytes = jixiao::write::official_workbook(&t, &Template::default_template()).unwrap();
        std::fs::write(&p, bytes).unwrap();
    }
    p
}

fn pair(n: usize) -> (PathBuf, PathBuf) {
    let (prior, cur, _) = jixiao::synth::year_pair(42, n, "基准局", 2024);
    let a = cached(&format!("prior-{n}.xlsx"), || prior);
    let b = cached(&format!("current-{n}.xlsx"), || cur);
    (a, b)
}

/// The floor: every cell of the first sheet plus its merged regions, with calamine alone.
fn floor(path: &Path) -> usize {
    let mut wb = open_workbook_auto(path).unwrap();
    let name = wb.sheet_names()[0].clone();
    let cells = wb.worksheet_range(&name).unwrap().used_cells().count();
    let merges = match &mut wb {
        Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(&name).unwrap().len(),
        Sheets::Xls(x) => x.worksheet_merge_cells(&name).map(|m| m.len()).unwrap_or(0),
        _ => 0,
    };
    cells + merges
}

fn import(c: &mut Criterion) {
    let t = Template::default_template();
    let opts = ReadOptions {
        sheet: None,
        template: &t,
    };
    let mut g = c.benchmark_group("import");
    g.sample_size(10).measurement_time(Duration::from_secs(5));
    for n in sizes() {
        let (_, cur) = pair(n);
        g.bench_with_input(BenchmarkId::new("floor", n), &cur, |b, p| {
            b.iter(|| black_box(floor(p)))
        });
        g.bench_with_input(BenchmarkId::new("jixiao", n), &cur, |b, p| {
            b.iter(|| black_box(read_file(p, &opts).unwrap()))
        });
    }
    g.finish();
}

fn validate(c: &mut Criterion) {
    let t = Template::default_template();
    let opts = ReadOptions {
        sheet: None,
        template: &t,
    };
    let mut g = c.benchmark_group("validate");
    g.sample_size(10).measurement_time(Duration::from_secs(5));
    for n in sizes() {
        let (_, cur) = pair(n);
        g.bench_with_input(BenchmarkId::new("floor", n), &cur, |b, p| {
            b.iter(|| black_box(floor(p)))
        });
        g.bench_with_input(BenchmarkId::new("jixiao", n), &cur, |b, p| {
            b.iter(|| {
                let table = read_file(p, &opts).unwrap();
                black_box(jixiao::validate::validate(&table, &t, None))
            })
        });
    }
    g.finish();
}

fn diff(c: &mut Criterion) {
    let t = Template::default_template();
    let opts = ReadOptions {
        sheet: None,
        template: &t,
    };
    let mut g = c.benchmark_group("diff");
    g.sample_size(10).measurement_time(Duration::from_secs(5));
    for n in sizes() {
        let files = pair(n);
        g.bench_with_input(BenchmarkId::new("floor", n), &files, |b, (p, q)| {
            b.iter(|| black_box(floor(p) + floor(q)))
        });
        g.bench_with_input(BenchmarkId::new("jixiao", n), &files, |b, (p, q)| {
            b.iter(|| {
                let prior = read_file(p, &opts).unwrap();
                let cur = read_file(q, &opts).unwrap();
                black_box(jixiao::diff::diff(&prior, &cur))
            })
        });
    }
    g.finish();
}

fn restyle(c: &mut Criterion) {
    let t = Template::default_template();
    let opts = ReadOptions {
        sheet: None,
        template: &t,
    };
    let mut g = c.benchmark_group("restyle");
    g.sample_size(10).measurement_time(Duration::from_secs(5));
    for n in sizes() {
        let (_, cur) = pair(n);
        g.bench_with_input(BenchmarkId::new("floor", n), &cur, |b, p| {
            b.iter(|| black_box(floor(p)))
        });
        g.bench_with_input(BenchmarkId::new("jixiao", n), &cur, |b, p| {
            b.iter(|| {
                let table = read_file(p, &opts).unwrap();
                black_box(jixiao::write::official_workbook(&table, &t).unwrap())
            })
        });
    }
    g.finish();
}

/// 500 department-sized files (16–40 indicators each).
fn folder() -> Vec<PathBuf> {
    let dir = data_dir().join("folder-500");
    std::fs::create_dir_all(&dir).unwrap();
    (0..500u64)
        .map(|k| {
            let p = dir.join(format!("dept-{k:03}.xlsx"));
            if !p.exists() {
                let n = 16 + (k as usize * 7) % 25;
                let t = jixiao::synth::table(1000 + k, n, &format!("部门{k:03}"), 2024);
                let bytes =
                    jixiao::write::official_workbook(&t, &Template::default_template()).unwrap();
                std::fs::write(&p, bytes).unwrap();
            }
            p
        })
        .collect()
}

fn collect(c: &mut Criterion) {
    use rayon::prelude::*;
    let t = Template::default_template();
    let opts = ReadOptions {
        sheet: None,
        template: &t,
    };
    let files = folder();
    let mut g = c.benchmark_group("collect");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    g.bench_function("floor-j1", |b| {
        b.iter(|| black_box(files.iter().map(|p| floor(p)).sum::<usize>()))
    });
    for jobs in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(jobs)
            .build()
            .unwrap();
        g.bench_function(format!("jixiao-j{jobs}"), |b| {
            b.iter(|| {
                pool.install(|| {
                    let tables: Vec<_> = files
                        .par_iter()
                        .map(|p| {
                            let table = read_file(p, &opts).unwrap();
                            let report = jixiao::validate::validate(&table, &t, None);
                            (table, report)
                        })
                        .collect();
                    black_box(tables)
                })
            })
        });
    }
    g.finish();
}

criterion_group!(benches, import, validate, diff, restyle, collect);
criterion_main!(benches);
