//! The fuzzing engine: a counting allocator, a seeded mutator and a runner
//! that gives each target a bounded budget and checks every input for a
//! panic, a hang and its peak memory.
//!
//! No coverage feedback (that would need nightly and cargo-fuzz): inputs are
//! random mutations of a corpus of real outputs and hand-made edge cases,
//! deterministic for a given seed, so a failure found in CI is found again
//! by running the same test.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

// ---------------------------------------------------------------------------
// Memory: a counting allocator, per thread.

/// Counts the bytes each thread has live and the most it had since the last
/// [`reset_peak`]. Allocations freed on another thread than the one that made
/// them skew both threads' counts; the parsers run on one thread.
pub struct Counting;

thread_local! {
    static LIVE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
    /// A thread that runs fuzz inputs: refuse allocations past HARD_LIMIT
    /// there (the process then aborts naming the size, instead of taking the
    /// shared machine's memory).
    static GUARDED: Cell<bool> = const { Cell::new(false) };
    static PANICS_HERE: Cell<u64> = const { Cell::new(0) };
}

/// Past this many live bytes on a fuzzing thread, allocation fails.
const HARD_LIMIT: isize = 1 << 30;

fn track(delta: isize) {
    let _ = LIVE.try_with(|live| {
        let now = live.get() + delta;
        live.set(now);
        let _ = PEAK.try_with(|peak| {
            if now > peak.get() {
                peak.set(now);
            }
        });
    });
}

fn refused(size: usize) -> bool {
    GUARDED.try_with(Cell::get).unwrap_or(false)
        && LIVE.try_with(Cell::get).unwrap_or(0) + size as isize > HARD_LIMIT
}

#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if refused(layout.size()) {
            return std::ptr::null_mut();
        }
        // SAFETY: forwarded unchanged to the system allocator.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            track(layout.size() as isize);
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if refused(layout.size()) {
            return std::ptr::null_mut();
        }
        // SAFETY: forwarded unchanged to the system allocator.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            track(layout.size() as isize);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.dealloc(ptr, layout) };
        track(-(layout.size() as isize));
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > layout.size() && refused(new_size - layout.size()) {
            return std::ptr::null_mut();
        }
        // SAFETY: forwarded unchanged to the system allocator.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            track(new_size as isize - layout.size() as isize);
        }
        p
    }
}

fn live_bytes() -> isize {
    LIVE.with(Cell::get)
}

fn reset_peak() {
    let now = live_bytes();
    PEAK.with(|p| p.set(now));
}

fn peak_bytes() -> isize {
    PEAK.with(Cell::get)
}

/// The process's resident memory, from /proc (0 where there is none).
pub fn rss_bytes() -> usize {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<usize>().ok())
        .map_or(0, |pages| pages * 4096)
}

// ---------------------------------------------------------------------------
// Panics: counted per thread (a panic caught inside a parser's own runtime,
// e.g. a tokio task or the PAC engine's thread, is still a panic).

static PANICS_IN_PAC_ENGINE: AtomicU64 = AtomicU64::new(0);
static LAST_PANIC: Mutex<String> = Mutex::new(String::new());

fn install_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let _ = PANICS_HERE.try_with(|c| c.set(c.get() + 1));
            let thread = std::thread::current();
            if thread.name() == Some("pac-script") {
                PANICS_IN_PAC_ENGINE.fetch_add(1, Ordering::Relaxed);
            }
            if let Ok(mut last) = LAST_PANIC.lock() {
                *last = format!("{} (thread {:?})", info, thread.name().unwrap_or("?"));
            }
            default(info);
        }));
    });
}

fn panics() -> u64 {
    PANICS_HERE.with(Cell::get) + PANICS_IN_PAC_ENGINE.load(Ordering::Relaxed)
}

// ---------------------------------------------------------------------------
// Targets and budgets.

/// How much memory one input may use at its peak.
#[derive(Debug, Clone, Copy)]
pub enum Memory {
    /// Counted by the allocator on the parsing thread: at most
    /// `per_byte` × input length + `base` bytes above what was live before.
    PerInput { per_byte: usize, base: usize },
    /// Not counted per input (the PAC engine allocates with QuickJS's own
    /// allocator on its own thread): the target checks it another way.
    Own,
}

/// The default bound: 64 × the input + 1 MiB.
pub const LINEAR: Memory = Memory::PerInput {
    per_byte: 64,
    base: 1 << 20,
};

/// Seed files of a target outside its corpus folder: the recorded outputs
/// under `tests/fixtures/` (already in the repo, with their attribution).
#[derive(Debug, Clone, Copy)]
pub struct Fixtures {
    /// Relative to the repository root.
    pub dir: &'static str,
    pub prefix: &'static str,
    pub suffix: &'static str,
}

pub const fn fixtures(dir: &'static str, prefix: &'static str, suffix: &'static str) -> Fixtures {
    Fixtures {
        dir,
        prefix,
        suffix,
    }
}

/// One thing to fuzz.
pub struct Target {
    /// Also its folder under `tests/fuzz-corpus/`.
    pub name: &'static str,
    pub fixtures: &'static [Fixtures],
    /// Seeds made by code (e.g. DNS messages encoded by hickory).
    pub generated: fn() -> Vec<Vec<u8>>,
    /// Tokens the mutator inserts (keywords, delimiters of the format).
    pub dict: &'static [&'static str],
    /// Open/close pairs the mutator nests deeply.
    pub nest: &'static [(&'static str, &'static str)],
    /// Called with each input; must not panic, hang or blow up memory.
    /// Returning Err is a broken invariant (e.g. an accepted STUN answer
    /// for another transaction).
    pub run: fn(&[u8]) -> Result<(), String>,
    /// Applied to some mutated inputs to keep them past a format's first
    /// checks (lengths, magic numbers).
    pub fixup: Option<fn(&mut Vec<u8>, &mut StdRng)>,
    /// Longest generated input.
    pub max_len: usize,
    pub memory: Memory,
    /// Default wall-clock budget in CI (see [`budget`]).
    pub secs: f64,
    /// One input taking longer than this is a hang.
    pub hang: Duration,
    /// Needs the machine to itself (it measures the whole process).
    pub exclusive: bool,
}

pub fn no_seeds() -> Vec<Vec<u8>> {
    Vec::new()
}

/// The budget of one target: `MD_FUZZ_SECS` seconds (default: the target's
/// own, a few seconds) and at most `MD_FUZZ_ITERS` mutated inputs (default
/// 1,000,000 — in CI the clock ends a run first). Run longer locally with
/// e.g. `MD_FUZZ_SECS=600 cargo test -p meeting-doctor-core --test fuzz -- --nocapture`.
/// `MD_FUZZ_SEED` changes the seed (default: fixed per target, so CI is
/// repeatable); `MD_FUZZ_SEED=random` picks one and prints it.
/// `MD_FUZZ_TRACE=1` writes every input to `<target dir>/fuzz-last-input`
/// before running it (for an input that aborts the process, e.g. a stack
/// overflow, which no test can catch).
fn budget(target: &Target) -> (Duration, u64, u64) {
    let secs = std::env::var("MD_FUZZ_SECS")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .unwrap_or(target.secs);
    let iters = std::env::var("MD_FUZZ_ITERS")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .unwrap_or(1_000_000);
    let seed = match std::env::var("MD_FUZZ_SEED").ok().as_deref() {
        Some("random") => rand::random(),
        Some(s) => s.parse().unwrap_or(0),
        None => target.name.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
        }),
    };
    (Duration::from_secs_f64(secs.max(0.0)), iters, seed)
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn corpus_dir(target: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz-corpus")
        .join(target)
}

/// Bytes of a seed file as the parser would get them as text: UTF-16LE with
/// a BOM (wmic, regedit) decoded to UTF-8, the rest as it is.
fn seed_bytes(bytes: Vec<u8>) -> Vec<u8> {
    if bytes.starts_with(&[0xFF, 0xFE]) {
        let units: Vec<u16> = bytes[2..]
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16_lossy(&units).into_bytes()
    } else {
        bytes
    }
}

fn files_in(dir: &Path, prefix: &str, suffix: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_file())
                .filter(|p| {
                    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
                    name.starts_with(prefix)
                        && name.ends_with(suffix)
                        && name != "README.md"
                        && name != "SOURCES.md"
                        && name != "fuzz-last-input"
                })
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

fn load_corpus(target: &Target) -> Vec<(String, Vec<u8>)> {
    let mut corpus = Vec::new();
    let root = repo_root();
    for f in target.fixtures {
        let found = files_in(&root.join(f.dir), f.prefix, f.suffix);
        assert!(
            !found.is_empty(),
            "{}: no fixtures {}/{}*{}",
            target.name,
            f.dir,
            f.prefix,
            f.suffix
        );
        for path in found {
            let bytes = std::fs::read(&path).unwrap();
            corpus.push((path.display().to_string(), seed_bytes(bytes)));
        }
    }
    for (i, bytes) in (target.generated)().into_iter().enumerate() {
        corpus.push((format!("generated seed {i}"), bytes));
    }
    for path in files_in(&corpus_dir(target.name), "", "") {
        let bytes = std::fs::read(&path).unwrap();
        corpus.push((path.display().to_string(), bytes));
    }
    assert!(!corpus.is_empty(), "{}: empty corpus", target.name);
    corpus
}

// ---------------------------------------------------------------------------
// The mutator.

const INTERESTING_NUMBERS: &[&str] = &[
    "0",
    "-0",
    "1",
    "-1",
    "255",
    "256",
    "65535",
    "65536",
    "-65536",
    "2147483647",
    "2147483648",
    "-2147483649",
    "4294967295",
    "4294967296",
    "9007199254740993",
    "18446744073709551615",
    "18446744073709551616",
    "-9223372036854775809",
    "340282366920938463463374607431768211456",
    "99999999999999999999999999999999999999999999999999",
    "1e308",
    "1e309",
    "-1e308",
    "1.5",
    "0.000001",
    "1e-400",
    "NaN",
    "Infinity",
    "0x10",
    "00000000000000000000000000000000001",
];

const INTERESTING_TEXT: &[&str] = &[
    "\u{0}",
    "\r",
    "\n",
    "\r\n",
    "\t",
    " ",
    "",
    "é",
    "中",
    "😀",
    "\u{feff}",
    "\u{2028}",
    "\u{fffd}",
    "\u{301}",
    "\"",
    "\\",
    "'",
    ":",
    ";",
    ",",
    "=",
    "/",
    "%",
    "[",
    "]",
    "{",
    "}",
    "(",
    ")",
    "<",
    ">",
    "#",
    "*",
    "?",
    ".",
    "-",
    "::",
    "[::1]",
    "::ffff:1.2.3.4",
    "255.255.255.255",
    "0.0.0.0",
    "fe80::1%eth0",
];

const INTERESTING_BYTES: &[u8] = &[
    0x00, 0x01, 0x7f, 0x80, 0xc0, 0xc3, 0xe2, 0xf0, 0xfe, 0xff, b'\n', b'\r', b' ', b'\t', b':',
    b'{', b'}', b'[', b']', b'"', b',', b'0', b'9', b'.', b'-',
];

fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

fn pos(rng: &mut StdRng, v: &[u8]) -> usize {
    rng.random_range(0..=v.len())
}

fn range(rng: &mut StdRng, v: &[u8], max: usize) -> (usize, usize) {
    if v.is_empty() {
        return (0, 0);
    }
    let start = rng.random_range(0..v.len());
    let len = rng.random_range(1..=max.min(v.len() - start).max(1));
    (start, (start + len).min(v.len()))
}

fn line_ranges(v: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, b) in v.iter().enumerate() {
        if *b == b'\n' {
            out.push((start, i + 1));
            start = i + 1;
        }
    }
    if start < v.len() {
        out.push((start, v.len()));
    }
    out
}

/// One mutated input made from `base`.
fn mutate(rng: &mut StdRng, base: &[u8], corpus: &[(String, Vec<u8>)], target: &Target) -> Vec<u8> {
    let mut v = base.to_vec();
    let rounds = match rng.random_range(0..10) {
        0..=4 => 1,
        5..=7 => 2,
        8 => 4,
        _ => 8,
    };
    for _ in 0..rounds {
        match rng.random_range(0..15) {
            // Flip a bit.
            0 if !v.is_empty() => {
                let i = rng.random_range(0..v.len());
                v[i] ^= 1 << rng.random_range(0..8);
            }
            // An interesting byte.
            1 if !v.is_empty() => {
                let i = rng.random_range(0..v.len());
                v[i] = *pick(rng, INTERESTING_BYTES);
            }
            // Delete a range.
            2 => {
                let (a, b) = range(rng, &v, 64);
                v.drain(a..b);
            }
            // Truncate.
            3 => {
                let at = pos(rng, &v);
                v.truncate(at);
            }
            // A format token.
            4 if !target.dict.is_empty() => {
                let at = pos(rng, &v);
                let token = pick(rng, target.dict).as_bytes();
                v.splice(at..at, token.iter().copied());
            }
            // A number where a number was (or anywhere).
            5 => {
                let number = pick(rng, INTERESTING_NUMBERS).as_bytes();
                let digits: Vec<usize> = v
                    .iter()
                    .enumerate()
                    .filter(|(_, b)| b.is_ascii_digit())
                    .map(|(i, _)| i)
                    .collect();
                if digits.is_empty() {
                    let at = pos(rng, &v);
                    v.splice(at..at, number.iter().copied());
                } else {
                    let start = *pick(rng, &digits);
                    let end = v[start..]
                        .iter()
                        .position(|b| !b.is_ascii_digit())
                        .map_or(v.len(), |n| start + n);
                    let start = v[..start]
                        .iter()
                        .rposition(|b| !b.is_ascii_digit())
                        .map_or(0, |n| n + 1);
                    v.splice(start..end, number.iter().copied());
                }
            }
            // Repeat a chunk many times.
            6 if !v.is_empty() => {
                let (a, b) = range(rng, &v, 64);
                let chunk = v[a..b].to_vec();
                let times = match rng.random_range(0..4) {
                    0 => 2,
                    1 => rng.random_range(2..16),
                    2 => rng.random_range(16..256),
                    _ => rng.random_range(256..4096),
                };
                let room = target.max_len.saturating_sub(v.len()) / chunk.len().max(1);
                let times = times.min(room);
                let repeated: Vec<u8> = chunk
                    .iter()
                    .copied()
                    .cycle()
                    .take(chunk.len() * times)
                    .collect();
                v.splice(b..b, repeated);
            }
            // Splice in a piece of another corpus entry.
            7 => {
                let other = &pick(rng, corpus).1;
                let (a, b) = range(rng, other, 256);
                let at = pos(rng, &v);
                v.splice(at..at, other[a..b].iter().copied());
            }
            // Cross over: this one's head, another's tail.
            8 => {
                let other = &pick(rng, corpus).1;
                let at = pos(rng, &v);
                let from = pos(rng, other);
                v.truncate(at);
                v.extend_from_slice(&other[from..]);
            }
            // Deep nesting, closed or not.
            9 if !target.nest.is_empty() => {
                let (open, close) = *pick(rng, target.nest);
                let depth = match rng.random_range(0..3) {
                    0 => rng.random_range(1..32),
                    1 => rng.random_range(32..512),
                    _ => rng.random_range(512..20_000),
                };
                let depth = depth.min(target.max_len / (open.len() + close.len()).max(1));
                let (a, b) = range(rng, &v, 128);
                let closed = rng.random_bool(0.7);
                let mut inner = open.repeat(depth).into_bytes();
                inner.extend_from_slice(&v[a..b]);
                if closed {
                    inner.extend_from_slice(close.repeat(depth).as_bytes());
                }
                v.splice(a..b, inner);
            }
            // Interesting text.
            10 => {
                let at = pos(rng, &v);
                let text = pick(rng, INTERESTING_TEXT).as_bytes();
                v.splice(at..at, text.iter().copied());
            }
            // Duplicate, drop or swap lines.
            11 => {
                let lines = line_ranges(&v);
                if lines.len() >= 2 {
                    let (a0, a1) = *pick(rng, &lines);
                    let (b0, b1) = *pick(rng, &lines);
                    let (first, second) = if a0 <= b0 {
                        ((a0, a1), (b0, b1))
                    } else {
                        ((b0, b1), (a0, a1))
                    };
                    let mut out = v[..first.0].to_vec();
                    match rng.random_range(0..3) {
                        0 => {
                            // duplicate the first
                            out.extend_from_slice(&v[first.0..first.1]);
                            out.extend_from_slice(&v[first.0..]);
                        }
                        1 => out.extend_from_slice(&v[first.1..]), // drop it
                        _ if first != second => {
                            out.extend_from_slice(&v[second.0..second.1]);
                            out.extend_from_slice(&v[first.1..second.0]);
                            out.extend_from_slice(&v[first.0..first.1]);
                            out.extend_from_slice(&v[second.1..]);
                        }
                        _ => out.extend_from_slice(&v[first.0..]),
                    }
                    v = out;
                }
            }
            // A random byte string.
            12 => {
                let at = pos(rng, &v);
                let n = rng.random_range(1..32);
                let junk: Vec<u8> = (0..n).map(|_| rng.random()).collect();
                v.splice(at..at, junk);
            }
            // Change the case of a run (keywords are often case-sensitive).
            13 => {
                let (a, b) = range(rng, &v, 32);
                let upper = rng.random_bool(0.5);
                for byte in &mut v[a..b] {
                    *byte = if upper {
                        byte.to_ascii_uppercase()
                    } else {
                        byte.to_ascii_lowercase()
                    };
                }
            }
            // Overwrite with a run of one byte (a long word, a long line).
            _ => {
                let at = pos(rng, &v);
                let n = rng
                    .random_range(1..8192)
                    .min(target.max_len.saturating_sub(v.len()));
                let b = if rng.random_bool(0.5) {
                    b'a'
                } else {
                    *pick(rng, INTERESTING_BYTES)
                };
                v.splice(at..at, std::iter::repeat_n(b, n));
            }
        }
        v.truncate(target.max_len);
    }
    if let Some(fixup) = target.fixup {
        if rng.random_bool(0.5) {
            fixup(&mut v, rng);
        }
    }
    v.truncate(target.max_len);
    v
}

// ---------------------------------------------------------------------------
// The runner.

/// Non-exclusive targets run side by side; an exclusive one alone.
static MACHINE: RwLock<()> = RwLock::new(());

/// What went wrong with one input.
struct Fault {
    kind: &'static str,
    message: String,
    input: Vec<u8>,
}

/// Shared between the worker and the watchdog.
struct Progress {
    /// The input being run, for the watchdog to save when it hangs.
    current: Mutex<Vec<u8>>,
    /// Milliseconds since the run started when the current input began.
    started_ms: AtomicU64,
    count: AtomicU64,
    finished: AtomicBool,
    fault: Mutex<Option<Fault>>,
    slowest_ms: AtomicU64,
    worst_ratio_permille: AtomicUsize,
}

/// What a run did, for the summary line.
#[derive(Debug)]
pub struct Summary {
    pub inputs: u64,
    pub corpus: usize,
    pub elapsed: Duration,
    pub slowest: Duration,
}

/// Saves `input` in the target's corpus folder (a regression case for the
/// next runs) and returns where.
fn save(target: &str, kind: &str, input: &[u8]) -> PathBuf {
    let hash = input.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3)
    });
    let dir = corpus_dir(target);
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join(format!("{kind}-{hash:016x}"));
    if let Err(e) = std::fs::write(&path, input) {
        eprintln!(
            "fuzz {target}: could not save the input at {}: {e}",
            path.display()
        );
    }
    path
}

fn run_one(target: &Target, input: &[u8], progress: &Progress, t0: Instant) -> Option<Fault> {
    if std::env::var_os("MD_FUZZ_TRACE").is_some() {
        let _ = std::fs::write(corpus_dir(target.name).join("fuzz-last-input"), input);
    }
    if let Ok(mut current) = progress.current.lock() {
        current.clear();
        current.extend_from_slice(input);
    }
    progress
        .started_ms
        .store(t0.elapsed().as_millis() as u64, Ordering::SeqCst);
    let panics_before = panics();
    let began = Instant::now();
    reset_peak();
    let base = live_bytes();
    let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| (target.run)(input)));
    let peak = (peak_bytes() - base).max(0) as usize;
    let took = began.elapsed();
    progress.count.fetch_add(1, Ordering::SeqCst);
    progress
        .slowest_ms
        .fetch_max(took.as_millis() as u64, Ordering::Relaxed);
    let fault = |kind, message| {
        Some(Fault {
            kind,
            message,
            input: input.to_vec(),
        })
    };
    match outcome {
        Err(payload) => {
            let text = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "a panic".into());
            return fault("crash", text);
        }
        Ok(Err(broken)) => return fault("invariant", broken),
        Ok(Ok(())) => {}
    }
    if panics() != panics_before {
        let last = LAST_PANIC.lock().map(|l| l.clone()).unwrap_or_default();
        return fault("crash", format!("a panic caught inside the parser: {last}"));
    }
    if took > target.hang {
        return fault("hang", format!("one input took {took:?}"));
    }
    if let Memory::PerInput { per_byte, base } = target.memory {
        let limit = per_byte * input.len() + base;
        progress
            .worst_ratio_permille
            .fetch_max(peak * 1000 / limit.max(1), Ordering::Relaxed);
        if peak > limit {
            return fault(
                "memory",
                format!(
                    "peak {peak} bytes for a {}-byte input (limit {limit})",
                    input.len()
                ),
            );
        }
    }
    None
}

/// Fuzzes `target` within its budget; panics (fails the test) naming the
/// saved input on the first crash, hang, broken invariant or memory blowup.
pub fn fuzz(target: &'static Target) -> Summary {
    install_panic_hook();
    let _machine: Box<dyn std::any::Any> = if target.exclusive {
        Box::new(MACHINE.write().unwrap_or_else(|e| e.into_inner()))
    } else {
        Box::new(MACHINE.read().unwrap_or_else(|e| e.into_inner()))
    };
    let (time, iters, seed) = budget(target);
    if std::env::var_os("MD_FUZZ_TRACE").is_some() {
        let _ = std::fs::create_dir_all(corpus_dir(target.name));
    }
    let corpus = Arc::new(load_corpus(target));
    let progress = Arc::new(Progress {
        current: Mutex::new(Vec::new()),
        started_ms: AtomicU64::new(0),
        count: AtomicU64::new(0),
        finished: AtomicBool::new(false),
        fault: Mutex::new(None),
        slowest_ms: AtomicU64::new(0),
        worst_ratio_permille: AtomicUsize::new(0),
    });
    let t0 = Instant::now();
    let worker = {
        let progress = Arc::clone(&progress);
        let corpus = Arc::clone(&corpus);
        std::thread::Builder::new()
            .name(format!("fuzz-{}", target.name))
            // The stack a parser gets on a runtime's worker thread.
            .stack_size(2 << 20)
            .spawn(move || {
                GUARDED.with(|g| g.set(true));
                let mut rng = StdRng::seed_from_u64(seed);
                let mut fault = None;
                // Every corpus entry as it is (the regressions), then mutants.
                for (_, input) in corpus.iter() {
                    fault = run_one(target, input, &progress, t0);
                    if fault.is_some() {
                        break;
                    }
                }
                let mut n = 0;
                while fault.is_none() && n < iters && t0.elapsed() < time {
                    let base = &pick(&mut rng, &corpus).1;
                    let input = mutate(&mut rng, base, &corpus, target);
                    fault = run_one(target, &input, &progress, t0);
                    n += 1;
                }
                if let Ok(mut slot) = progress.fault.lock() {
                    *slot = fault;
                }
                progress.finished.store(true, Ordering::SeqCst);
            })
            .expect("a fuzz thread")
    };
    // The watchdog: an input still running past the hang limit is a hang,
    // even if it never returns.
    let hang_ms = target.hang.as_millis() as u64;
    loop {
        std::thread::sleep(Duration::from_millis(20));
        if progress.finished.load(Ordering::SeqCst) {
            break;
        }
        let running_for = (t0.elapsed().as_millis() as u64)
            .saturating_sub(progress.started_ms.load(Ordering::SeqCst));
        if running_for > hang_ms.saturating_mul(2) {
            let before = progress.count.load(Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(10));
            if progress.count.load(Ordering::SeqCst) == before
                && !progress.finished.load(Ordering::SeqCst)
            {
                let input = progress
                    .current
                    .lock()
                    .map(|c| c.clone())
                    .unwrap_or_default();
                let path = save(target.name, "hang", &input);
                panic!(
                    "fuzz {}: an input has run for more than {:?} (saved as {})",
                    target.name,
                    target.hang * 2,
                    path.display()
                );
            }
        }
    }
    let _ = worker.join();
    let summary = Summary {
        inputs: progress.count.load(Ordering::SeqCst),
        corpus: corpus.len(),
        elapsed: t0.elapsed(),
        slowest: Duration::from_millis(progress.slowest_ms.load(Ordering::Relaxed)),
    };
    let worst = progress.worst_ratio_permille.load(Ordering::Relaxed);
    eprintln!(
        "fuzz {}: {} inputs ({} in the corpus) in {:.1?}, seed {seed}; slowest {:?}, worst peak memory {}.{}% of the limit",
        target.name,
        summary.inputs,
        summary.corpus,
        summary.elapsed,
        summary.slowest,
        worst / 10,
        worst % 10
    );
    let fault = progress.fault.lock().ok().and_then(|mut f| f.take());
    if let Some(fault) = fault {
        let path = save(target.name, fault.kind, &fault.input);
        panic!(
            "fuzz {}: {}: {} (the input is saved as {}; {} bytes: {:?})",
            target.name,
            fault.kind,
            fault.message,
            path.display(),
            fault.input.len(),
            String::from_utf8_lossy(&fault.input[..fault.input.len().min(300)])
        );
    }
    summary
}
