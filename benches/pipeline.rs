//! Benchmarks of every command's work against a floor: a bare calamine read of the same file(s).
//!
//! Results are meant to be read as ratios to the floor measured in the same
//! run (the machines are shared and noisy). Data is generated deterministically
//! (`jixiao::synth`) and written once with the official writer, so the files
//! have real merged cells; it is cached in `target/bench-data/`.
//!
//! `JIXIAO_BENCH_SIZES=2000,20000` limits the table sizes (default 2000,20000,100000).
//!
//! One-shot mode, for whole-process timing, peak memory (`/usr/bin/time -v`)
//! and profilers (callgrind, perf): `cargo bench --bench pipeline -- --once MODE N`
//! runs MODE (`floor`, `import`, `validate`, `diff`, `floor2`, `restyle`, `data`,
//! `check`: the diff-against-truth check alone; `collect`: N files of the folder, read and
//! validated one after another; `data` also writes `yoy-500/2023` and `yoy-500/2024`,
//! the two years of 500 departments for `jixiao collect 2024 --prior 2023`)
//! once on the table of N indicators and exits (`data` only writes the files).

use calamine::{open_workbook_auto, Reader, Sheets};
use criterion::{criterion_group, BenchmarkId, Criterion};
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

/// The official workbook of one table (what `restyle` writes).
fn official(t: &jixiao::model::Table, template: &Template) -> Vec<u8> {
    jixiao::write::official_workbook(&[(t, template)]).unwrap()
}

/// Read options with one template (the default one).
fn options(t: &[Template]) -> ReadOptions<'_> {
    ReadOptions {
        sheet: None,
        templates: t,
    }
}

/// Writes a table once and reuses it across runs.
fn cached(name: &str, make: impl FnOnce() -> jixiao::model::Table) -> PathBuf {
    let p = data_dir().join(name);
    if !p.exists() {
        let t = make();
        let bytes = official(&t, &Template::default_template());
        std::fs::write(&p, bytes).unwrap();
    }
    p
}

fn pair(n: usize) -> (PathBuf, PathBuf) {
    let a = data_dir().join(format!("prior-{n}.xlsx"));
    let b = data_dir().join(format!("current-{n}.xlsx"));
    if a.exists() && b.exists() {
        return (a, b);
    }
    let (prior, cur, _) = jixiao::synth::year_pair(42, n, "基准局", 2024);
    let a = cached(&format!("prior-{n}.xlsx"), || prior);
    let b = cached(&format!("current-{n}.xlsx"), || cur);
    (a, b)
}

/// Outside the timed loop: the diff of the two files read back must report
/// exactly the changes the generator planted. Prints the verdict; a mismatch
/// is printed loudly (and the timings are still taken).
fn check_truth(n: usize, (p, q): &(PathBuf, PathBuf), opts: &ReadOptions<'_>) -> bool {
    let (_, _, truth) = jixiao::synth::year_pair(42, n, "基准局", 2024);
    let prior = read_file(p, opts).unwrap();
    let cur = read_file(q, opts).unwrap();
    let s = jixiao::diff::diff(&prior, &cur).summary;
    let got = jixiao::synth::Truth {
        added: s.added,
        removed: s.removed,
        renamed: s.renamed,
        moved: s.moved,
        modified: s.modified,
    };
    if got == truth {
        eprintln!("diff/{n}: summary equals the generator's truth: {truth:?}");
        true
    } else {
        eprintln!("diff/{n}: MISMATCH\n  truth: {truth:?}\n  diff:  {got:?}");
        false
    }
}

/// The floor: every cell of the first sheet plus its merged regions, with calamine alone.
fn floor(path: &Path) -> usize {
    let mut wb = open_workbook_auto(path).unwrap();
    let name = wb.sheet_names()[0].clone();
    let cells = wb.worksheet_range(&name).unwrap().used_cells().count();
    let merges = match &mut wb {
        Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(&name).unwrap().len(),
        Sheets::Xls(x) => x
            .merge_cells_by_sheet_name(&name)
            .map(|m| m.len())
            .unwrap_or(0),
        _ => 0,
    };
    cells + merges
}

/// Reads a benchmark file with the default template.
fn read(p: &Path, t: &Template) -> jixiao::model::Table {
    read_file(p, &options(std::slice::from_ref(t))).unwrap()
}

/// A group timing `work` on this year's file of each size, beside the floor
/// reading the same file.
fn against_floor<R>(c: &mut Criterion, group: &str, work: impl Fn(&Path, &Template) -> R) {
    let t = Template::default_template();
    let mut g = c.benchmark_group(group);
    g.sample_size(10).measurement_time(Duration::from_secs(5));
    for n in sizes() {
        let (_, cur) = pair(n);
        g.bench_with_input(BenchmarkId::new("floor", n), &cur, |b, p| {
            b.iter(|| black_box(floor(p)))
        });
        g.bench_with_input(BenchmarkId::new("jixiao", n), &cur, |b, p| {
            b.iter(|| black_box(work(p, &t)))
        });
    }
    g.finish();
}

fn import(c: &mut Criterion) {
    against_floor(c, "import", read);
}

fn validate(c: &mut Criterion) {
    against_floor(c, "validate", |p, t| {
        jixiao::validate::validate(&read(p, t), t, None)
    });
}

fn restyle(c: &mut Criterion) {
    against_floor(c, "restyle", |p, t| official(&read(p, t), t));
}

fn diff(c: &mut Criterion) {
    let t = Template::default_template();
    let ts = [t.clone()];
    let opts = options(&ts);
    let mut g = c.benchmark_group("diff");
    g.sample_size(10).measurement_time(Duration::from_secs(5));
    for n in sizes() {
        let files = pair(n);
        check_truth(n, &files, &opts);
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
                let bytes = official(&t, &Template::default_template());
                std::fs::write(&p, bytes).unwrap();
            }
            p
        })
        .collect()
}

/// Two years of 500 departments for `collect --prior`: `yoy-500/2023/上年-NNN.xlsx`
/// and `yoy-500/2024/dept-NNN.xlsx` (file names differ between the years), each
/// pair a `synth::year_pair` of 16–40 indicators with about 5% changed.
fn yoy_folders() -> (PathBuf, PathBuf) {
    let root = data_dir().join("yoy-500");
    let (prior, current) = (root.join("2023"), root.join("2024"));
    std::fs::create_dir_all(&prior).unwrap();
    std::fs::create_dir_all(&current).unwrap();
    for k in 0..500u64 {
        let (p, q) = (
            prior.join(format!("上年-{k:03}.xlsx")),
            current.join(format!("dept-{k:03}.xlsx")),
        );
        if !p.exists() || !q.exists() {
            let n = 16 + (k as usize * 7) % 25;
            let (a, b, _) = jixiao::synth::year_pair(2000 + k, n, &format!("部门{k:03}"), 2024);
            let t = Template::default_template();
            std::fs::write(&p, official(&a, &t)).unwrap();
            std::fs::write(&q, official(&b, &t)).unwrap();
        }
    }
    (prior, current)
}

/// The year-over-year work of `collect --prior` on tables already read:
/// pairing and comparing 500 tables with 500 (`jixiao::prior::YearOverYear`).
fn collect_prior(c: &mut Criterion) {
    use rayon::prelude::*;
    let t = Template::default_template();
    let ts = [t.clone()];
    let opts = options(&ts);
    let (prior, current) = yoy_folders();
    let read = |dir: &Path| -> Vec<jixiao::model::Table> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        files
            .par_iter()
            .map(|p| read_file(p, &opts).unwrap())
            .collect()
    };
    let (a, b) = (read(&prior), read(&current));
    let mut g = c.benchmark_group("collect-prior");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    g.bench_function("pair-and-compare-500", |bench| {
        bench.iter(|| black_box(jixiao::prior::YearOverYear::new(&a, &b, &ts).pairs.len()))
    });
    g.finish();
}

fn collect(c: &mut Criterion) {
    use rayon::prelude::*;
    let t = Template::default_template();
    let ts = [t.clone()];
    let opts = options(&ts);
    let files = folder();
    let mut g = c.benchmark_group("collect");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    g.bench_function("floor-j1", |b| {
        b.iter(|| black_box(files.iter().map(|p| floor(p)).sum::<usize>()))
    });
    // What two threads give on this machine at all (other load, memory bandwidth).
    let pool2 = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    g.bench_function("floor-j2", |b| {
        b.iter(|| pool2.install(|| black_box(files.par_iter().map(|p| floor(p)).sum::<usize>())))
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

criterion_group!(
    benches,
    import,
    validate,
    diff,
    restyle,
    collect,
    collect_prior
);

/// `--once MODE N`: one run of MODE on the table of N indicators, then exit.
fn once(mode: &str, n: usize) {
    let t = Template::default_template();
    let ts = [t.clone()];
    let opts = options(&ts);
    if mode == "collect" {
        // N files of the 500-file folder, one after another (read + validate).
        let files = folder();
        let k: usize = files
            .iter()
            .take(n)
            .map(|p| {
                let table = read_file(p, &opts).unwrap();
                jixiao::validate::validate(&table, &t, None).issues.len()
            })
            .sum();
        println!("{k}");
        return;
    }
    if mode == "floor-yoy" {
        // The floor of `collect --prior` on the two 500-file years: every file read bare, in turn.
        let (prior, current) = yoy_folders();
        let mut cells = 0;
        for dir in [prior, current] {
            let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            files.sort();
            cells += files.iter().map(|f| floor(f)).sum::<usize>();
        }
        println!("{cells}");
        return;
    }
    let (p, q) = pair(n);
    match mode {
        "data" => {
            folder();
            yoy_folders();
        }
        "floor" => println!("{}", floor(&q)),
        "floor2" => println!("{}", floor(&p) + floor(&q)),
        "import" => println!("{}", read_file(&q, &opts).unwrap().indicators().count()),
        "validate" => {
            let table = read_file(&q, &opts).unwrap();
            println!("{}", jixiao::validate::validate(&table, &t, None).issues.len());
        }
        "diff" => {
            let prior = read_file(&p, &opts).unwrap();
            let cur = read_file(&q, &opts).unwrap();
            println!("{:?}", jixiao::diff::diff(&prior, &cur).summary.added);
        }
        "check" => {
            let ok = check_truth(n, &(p, q), &opts);
            std::process::exit(if ok { 0 } else { 1 });
        }
        "restyle" => {
            let table = read_file(&q, &opts).unwrap();
            let bytes = official(&table, &t);
            println!("{}", bytes.len());
        }
        _ => panic!("unknown mode {mode}: floor, floor2, floor-yoy, import, validate, diff, check, restyle, data, collect"),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--once") {
        let mode = args.get(i + 1).map(String::as_str).unwrap_or("import");
        let n = args
            .get(i + 2)
            .and_then(|s| s.parse().ok())
            .unwrap_or(20_000);
        once(mode, n);
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
