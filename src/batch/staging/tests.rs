//! Tests of the staging directory: every step of a run killed in turn, the user's files.
use super::*;

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn replaces_the_whole_directory() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let s = Staging::begin(&out).unwrap();
    std::fs::create_dir_all(s.path().join("old-unit")).unwrap();
    s.commit().unwrap();
    let s = Staging::begin(&out).unwrap();
    std::fs::write(s.path().join("new.txt"), "x").unwrap();
    assert!(
        out.join("old-unit").exists(),
        "the old results stay until the commit"
    );
    s.commit().unwrap();
    assert!(out.join("new.txt").exists());
    assert!(!out.join("old-unit").exists());
    assert_eq!(names(dir.path()), [".out.yusuan-lock", "out"]);
}

#[test]
fn an_interrupted_run_is_cleaned_up_by_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    // What a run killed while converting leaves: a marked, half-filled staging directory.
    let partial = dir.path().join(".out.partial");
    std::fs::create_dir_all(&partial).unwrap();
    std::fs::write(partial.join(MARKER), "").unwrap();
    std::fs::write(partial.join("half.txt"), "x").unwrap();
    let s = Staging::begin(&out).unwrap();
    assert!(!s.path().join("half.txt").exists());
    s.commit().unwrap();
    assert!(out.exists());
}

#[test]
fn a_crash_at_each_step_of_the_swap_loses_nothing() {
    for crash in [Step::MovedAside, Step::Swapped] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let s = Staging::begin(&out).unwrap();
        std::fs::write(s.path().join("result"), "old").unwrap();
        s.commit().unwrap();
        let s = Staging::begin(&out).unwrap();
        std::fs::write(s.path().join("result"), "new").unwrap();
        let died = s.commit_with(|step| {
            if step == crash {
                Err(std::io::Error::other("killed"))
            } else {
                Ok(())
            }
        });
        assert!(died.is_err());
        // The next run recovers before anything else.
        let s = Staging::begin(&out).unwrap();
        let expected = if crash == Step::MovedAside {
            "old"
        } else {
            "new"
        };
        assert_eq!(
            std::fs::read_to_string(out.join("result")).unwrap(),
            expected,
            "after a crash at {crash:?}"
        );
        drop(s);
        assert_eq!(names(dir.path()), [".out.yusuan-lock", "out"], "{crash:?}");
    }
}

#[test]
fn refuses_a_folder_of_other_files_and_a_second_run() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    assert!(matches!(
        Staging::begin(&out),
        Err(StagingError::NotOurs { .. })
    ));
    assert_eq!(
        std::fs::read_to_string(out.join("notes.txt")).unwrap(),
        "mine"
    );
    let other = dir.path().join("other");
    let first = Staging::begin(&other).unwrap();
    let second = Staging::begin(&other);
    assert!(
        matches!(&second, Err(StagingError::Busy { pid, .. }) if *pid == std::process::id().to_string()),
        "{second:?}"
    );
    drop(first);
    assert!(Staging::begin(&other).is_ok());
}

/// A committed result holding `files`.
fn result(out: &Path, files: &[&str]) {
    let s = Staging::begin(out).unwrap();
    for f in files {
        let path = s.path().join(f);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, f).unwrap();
    }
    s.commit().unwrap();
}

#[test]
fn a_file_the_user_added_to_a_result_is_never_deleted() {
    for added in ["审核意见.docx", "313603-单位/批注.txt", "新文件夹/"] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        result(&out, &["汇总.xlsx", "313603-单位/313603-单位.xlsx"]);
        let path = out.join(added);
        if added.ends_with('/') {
            std::fs::create_dir_all(&path).unwrap();
        } else {
            std::fs::write(&path, "the user's").unwrap();
        }
        let err = Staging::begin(&out).unwrap_err();
        let shown = added.trim_end_matches('/');
        assert!(
            matches!(&err, StagingError::UserFiles { entry, .. } if entry == shown),
            "{added}: {err}"
        );
        assert!(path.exists(), "{added}");
        assert!(err.to_string().contains(shown), "{err}");
    }
}

#[test]
fn a_users_folder_named_like_the_previous_result_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let mine = dir.path().join(".out.previous");
    std::fs::create_dir_all(&mine).unwrap();
    std::fs::write(mine.join("mine.txt"), "x").unwrap();
    let err = Staging::begin(&out).unwrap_err();
    assert!(matches!(err, StagingError::UserFiles { .. }), "{err}");
    assert!(!out.exists(), "never renamed into place");
    assert!(mine.join("mine.txt").exists());
}

#[test]
fn a_kill_at_every_unlink_while_removing_a_result_is_finished_by_the_next_run() {
    // The previous result's removal killed after each of its deletions in turn (the marker,
    // deleted last, still there): the next run recognises it and finishes.
    let files = [
        "汇总.xlsx",
        "summary.csv",
        "a/a.xlsx",
        "a/a.json",
        "b/b.xlsx",
    ];
    for killed_after in 0..=files.len() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        result(&out, &files);
        let previous = dir.path().join(".out.previous");
        let s = Staging::begin(&out).unwrap();
        std::fs::write(s.path().join("new.txt"), "new").unwrap();
        let died = s.commit_with(|step| {
            if step == Step::Swapped {
                for f in &files[..killed_after] {
                    std::fs::remove_file(previous.join(f))?;
                }
                return Err(std::io::Error::other("killed"));
            }
            Ok(())
        });
        assert!(died.is_err());
        let s = Staging::begin(&out).unwrap_or_else(|e| panic!("{killed_after}: {e}"));
        drop(s);
        assert_eq!(
            names(dir.path()),
            [".out.yusuan-lock", "out"],
            "{killed_after}"
        );
        assert!(out.join("new.txt").exists());
    }
}

/// The files under `dir` (the marker left out) and the distinct texts they hold.
fn contents(dir: &Path) -> (Vec<String>, std::collections::BTreeSet<String>) {
    fn walk(
        base: &Path,
        at: &Path,
        files: &mut Vec<String>,
        texts: &mut std::collections::BTreeSet<String>,
    ) {
        for e in std::fs::read_dir(at).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(base, &p, files, texts);
            } else if p.file_name().unwrap() != MARKER {
                files.push(
                    p.strip_prefix(base)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/"),
                );
                texts.insert(std::fs::read_to_string(&p).unwrap());
            }
        }
    }
    let (mut files, mut texts) = (Vec::new(), Default::default());
    walk(dir, dir, &mut files, &mut texts);
    files.sort();
    (files, texts)
}

/// A batch's life — begin, its files written, commit — as `version`.
fn run(out: &Path, files: &[&str], version: &str) -> Result<(), StagingError> {
    let s = Staging::begin(out)?;
    for f in files {
        let path = s.path().join(f);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, version).unwrap();
    }
    s.commit()
}

#[test]
fn a_kill_at_every_step_leaves_one_whole_result_and_the_next_run_finishes() {
    // Killed before each rename, removal and marker write of a run replacing a result, in
    // turn (and with no cleanup after it, as a dead process does none): right after, the
    // result is the old one whole or the new one whole — or, between the two moves, absent
    // with the old one marked aside; the next run puts everything right by itself.
    let old = ["汇总.xlsx", "a/a.xlsx", "a/a.json", "b/b.xlsx"];
    let new = ["汇总.xlsx", "a/a.xlsx", "c/c.xlsx"];
    let sorted = |files: &[&str]| {
        let mut v: Vec<String> = files.iter().map(|f| f.to_string()).collect();
        v.sort();
        v
    };
    let mut kills = 0;
    for k in 0.. {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        run(&out, &old, "old").unwrap();
        steps::kill_after(Some(k));
        let outcome = run(&out, &new, "new");
        let killed = steps::killed();
        steps::kill_after(None);
        if !killed {
            outcome.unwrap();
            assert_eq!(contents(&out), (sorted(&new), ["new".to_owned()].into()));
            break;
        }
        assert!(outcome.is_err(), "{k}");
        kills += 1;
        let aside = dir.path().join(".out.previous");
        if out.exists() {
            let (files, texts) = contents(&out);
            assert!(
                (files == sorted(&old) && texts == ["old".to_owned()].into())
                    || (files == sorted(&new) && texts == ["new".to_owned()].into()),
                "killed after {k} steps: {files:?} {texts:?}"
            );
        } else {
            assert!(aside.join(MARKER).is_file(), "{k}");
            assert_eq!(contents(&aside).0, sorted(&old), "{k}");
        }
        run(&out, &["next.xlsx"], "next").unwrap_or_else(|e| panic!("{k}: {e}"));
        assert_eq!(names(dir.path()), [".out.yusuan-lock", "out"], "{k}");
        assert_eq!(contents(&out).0, ["next.xlsx"], "{k}");
    }
    // begin (the staging folder and its marker), the marker's listing, two moves, and the
    // removal of the old result file by file, its marker last.
    assert!(kills >= 12, "{kills}");
    println!("kill points in a batch's swap: {kills}");
}
