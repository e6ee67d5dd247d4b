//! What the CLI tests share: the binary, a temp home with a fake Zoom
//! cache and a data folder for the journal, and output helpers.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_meeting-doctor")
}

/// A temp home with a fake Zoom cache, and a data folder for the journal.
pub struct Home {
    pub dir: tempfile::TempDir,
}

impl Home {
    pub fn new() -> Home {
        let h = Home {
            dir: tempfile::tempdir().unwrap(),
        };
        let data = h.home().join(".zoom/data");
        std::fs::create_dir_all(data.join("Zoë's cache/nested")).unwrap();
        std::fs::write(data.join("Zoë's cache/nested/blob.bin"), [0u8, 1, 2, 255]).unwrap();
        std::fs::write(data.join("web cache.tmp"), "cached").unwrap();
        std::fs::write(data.join("zoomus.enc.db"), "secret db").unwrap();
        std::fs::write(data.join("zoom.ini"), "[settings]\n").unwrap();
        std::fs::create_dir_all(h.home().join(".cache/zoom")).unwrap();
        std::fs::write(h.home().join(".cache/zoom/x"), "x").unwrap();
        h
    }

    pub fn home(&self) -> PathBuf {
        self.dir.path().join("home dir")
    }

    pub fn data(&self) -> PathBuf {
        self.dir.path().join("md data")
    }

    pub fn command(&self, program: &str) -> Command {
        let mut c = Command::new(program);
        self.setup(&mut c);
        c
    }

    pub fn setup(&self, c: &mut Command) {
        c.env("HOME", self.home())
            .env("MEETING_DOCTOR_DATA", self.data())
            .env("NO_COLOR", "1")
            .env_remove("XDG_CACHE_HOME")
            .env_remove("XDG_DATA_HOME")
            .stdin(Stdio::null());
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command(bin()).args(args).output().unwrap()
    }

    /// Every file under home: path → bytes.
    pub fn files(&self) -> BTreeMap<String, Vec<u8>> {
        fn walk(base: &Path, p: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
            for e in std::fs::read_dir(p).unwrap() {
                let e = e.unwrap();
                let path = e.path();
                let rel = path
                    .strip_prefix(base)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                if e.file_type().unwrap().is_dir() {
                    out.insert(format!("{rel}/"), vec![]);
                    walk(base, &path, out);
                } else {
                    out.insert(rel, std::fs::read(&path).unwrap());
                }
            }
        }
        let mut out = BTreeMap::new();
        walk(&self.home(), &self.home(), &mut out);
        // Reading the desktop's proxy setting (gsettings) makes dconf's
        // own cache: not Zoom's, not ours.
        out.retain(|k, _| !k.starts_with(".cache/dconf"));
        out
    }
}

pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

pub fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}
