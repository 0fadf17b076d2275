//! `yusuan serve` over HTTP: a server started on 127.0.0.1 with a free port, its JSON API as
//! issue #23 names it (units, uploads, files, errors with their status and a Chinese message),
//! token isolation, form checks, escaping, limits, a crafted file, a restart, and 20 uploads at
//! once.

use crate::common::*;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// A running server, stopped when dropped.
struct Server {
    child: Child,
    base: String,
    admin: String,
    agent: ureq::Agent,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An answer: its status and body.
struct Answer {
    status: u16,
    body: String,
    bytes: Vec<u8>,
}

impl Answer {
    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|_| panic!("JSON: {}", self.body))
    }
}

impl Server {
    /// `yusuan serve --data DATA --listen 127.0.0.1:0 EXTRA…`, once it says where it listens.
    fn start(data: &Path, extra: &[&str]) -> Server {
        Server::start_on(data, "127.0.0.1:0", extra).0
    }

    /// The same on another address; and the lines it printed.
    fn start_on(data: &Path, listen: &str, extra: &[&str]) -> (Server, Vec<String>) {
        let mut child = Command::new(env!("CARGO_BIN_EXE_yusuan"))
            .args(["serve", "--data"])
            .arg(data)
            .args(["--listen", listen])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the server starts");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut base = String::new();
        let mut admin = String::new();
        let mut printed = Vec::new();
        for line in lines.by_ref() {
            let line = line.unwrap();
            printed.push(line.clone());
            if let Some(at) = line.find("http://") {
                let url = line[at..].trim().to_owned();
                if url.contains("/admin?token=") {
                    admin = url.rsplit('=').next().unwrap().to_owned();
                    break;
                }
                // Reached through this machine whatever address it listens on.
                if line.contains("已启动") {
                    base = url.replace("0.0.0.0", "127.0.0.1");
                }
            }
        }
        assert!(
            !base.is_empty() && !admin.is_empty(),
            "the server printed its addresses"
        );
        // Keep reading its output so that it never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .new_agent();
        // The password line, printed before the addresses' end, is read with the rest.
        let server = Server {
            child,
            base,
            admin,
            agent,
        };
        (server, printed)
    }

    fn answer(response: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Answer {
        let mut response = response.expect("an answer");
        let status = response.status().as_u16();
        let bytes = response
            .body_mut()
            .with_config()
            .limit(64 * 1024 * 1024)
            .read_to_vec()
            .unwrap();
        Answer {
            status,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes,
        }
    }

    fn get(&self, url: &str, headers: &[(&str, &str)]) -> Answer {
        let mut request = self.agent.get(url);
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        Server::answer(request.call())
    }

    fn post(&self, url: &str, headers: &[(&str, &str)], body: &[u8]) -> Answer {
        let mut request = self.agent.post(url);
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        Server::answer(request.send(body))
    }

    /// `POST /api/units` as the department; the unit's upload URL.
    fn add_unit(&self, code: &str, name: &str) -> String {
        let bearer = format!("Bearer {}", self.admin);
        let body = serde_json::json!({ "code": code, "name": name }).to_string();
        let answer = self.post(
            &format!("{}/api/units", self.base),
            &[
                ("Authorization", &bearer),
                ("Content-Type", "application/json"),
            ],
            body.as_bytes(),
        );
        assert_eq!(answer.status, 201, "{}", answer.body);
        let json = answer.json();
        assert_eq!(
            (json["code"].as_str(), json["name"].as_str()),
            (Some(code), Some(name))
        );
        json["upload_url"].as_str().unwrap().to_owned()
    }

    fn units(&self) -> serde_json::Value {
        let bearer = format!("Bearer {}", self.admin);
        let answer = self.get(
            &format!("{}/api/units", self.base),
            &[("Authorization", &bearer)],
        );
        assert_eq!(answer.status, 200, "{}", answer.body);
        answer.json()
    }

    /// `POST {upload_url}/api/uploads` with these files (name, bytes).
    fn upload(&self, upload_url: &str, files: &[(&str, &[u8])]) -> Answer {
        let (content_type, body) = multipart(files, &[]);
        self.post(
            &format!("{upload_url}/api/uploads"),
            &[("Content-Type", &content_type)],
            &body,
        )
    }
}

/// An HTTP client that shows a redirect instead of following it (a form's answer).
fn no_redirects() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .new_agent()
}

/// POSTs a form with these cookies, as a browser sends it; the answer's status.
fn post_form(
    agent: &ureq::Agent,
    url: &str,
    cookies: &str,
    content_type: &str,
    body: &[u8],
) -> u16 {
    agent
        .post(url)
        .header("Cookie", cookies)
        .header("Content-Type", content_type)
        .send(body)
        .unwrap()
        .status()
        .as_u16()
}

/// A multipart body of `file` fields and other fields.
fn multipart(files: &[(&str, &[u8])], fields: &[(&str, &str)]) -> (String, Vec<u8>) {
    let boundary = "yusuan-test-boundary-7f3a";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    for (name, bytes) in files {
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

fn sample_bytes() -> Vec<u8> {
    std::fs::read(sample()).unwrap()
}

#[test]
fn a_unit_uploads_sees_its_findings_and_downloads_its_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir.path().join("data"), &[]);
    let a = server.add_unit("313603", "四川省人力资源和社会保障信息中心");
    let b = server.add_unit("313604", "另一单位");
    assert!(a.starts_with(&format!("{}/u/", server.base)));
    // A token of at least 128 bits.
    assert!(a.rsplit('/').next().unwrap().len() >= 32);
    assert_eq!(server.units()[0]["status"], "missing");

    let answer = server.upload(&a, &[("预算.xlsx", &sample_bytes())]);
    assert_eq!(answer.status, 200, "{}", answer.body);
    let json = answer.json();
    assert_eq!(json["status"], "warnings");
    let file = &json["files"][0];
    assert_eq!(file["unit_code"], "313603");
    assert_eq!(file["file"], "预算.xlsx");
    // The same findings `check --format json` gives for the file.
    let check = yusuan([
        "check".as_ref(),
        sample().as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    let expected: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    assert_eq!(file["findings"], expected["files"][0]["findings"]);
    let units = server.units();
    assert_eq!(units[0]["status"], "warnings");
    assert_eq!(units[0]["warnings"], 4);
    assert!(units[0]["last_upload"].as_str().unwrap().ends_with('Z'));
    assert_eq!(units[1]["status"], "missing");

    // Its official workbook, which reads back; unit B's link cannot reach it.
    let workbook = server.get(&format!("{a}/api/files/1"), &[]);
    assert_eq!(workbook.status, 200);
    assert!(workbook.bytes.starts_with(b"PK\x03\x04"));
    let downloaded = dir.path().join("official.xlsx");
    std::fs::write(&downloaded, &workbook.bytes).unwrap();
    assert_eq!(
        yusuan(["check".as_ref(), downloaded.as_os_str()])
            .status
            .code(),
        Some(0)
    );
    let other = server.get(&format!("{b}/api/files/1"), &[]);
    assert_eq!(other.status, 404);
    assert!(other.json()["error"].as_str().unwrap().contains("没有找到"));
    let unknown = server.get(
        &format!("{}/u/{}/api/files/1", server.base, "0".repeat(64)),
        &[],
    );
    assert_eq!(unknown.status, 404);

    // The department's downloads: every official workbook in one .zip, and 汇总.xlsx.
    let admin_cookie = format!("yusuan_admin={}", server.admin);
    let zip = server.get(
        &format!("{}/admin/workbooks.zip", server.base),
        &[("Cookie", &admin_cookie)],
    );
    assert_eq!(zip.status, 200);
    let archive = zip::ZipArchive::new(std::io::Cursor::new(zip.bytes)).unwrap();
    let names: Vec<String> = archive
        .file_names()
        .map(|n| n.unwrap().into_owned())
        .collect();
    assert_eq!(names, ["313603-四川省人力资源和社会保障信息中心.xlsx"]);
    let summary = server.get(
        &format!("{}/admin/summary.xlsx", server.base),
        &[("Cookie", &admin_cookie)],
    );
    assert_eq!(summary.status, 200);
    let summary_path = dir.path().join("summary.xlsx");
    std::fs::write(&summary_path, &summary.bytes).unwrap();
    let rows = &sheets(&summary_path)[0].1;
    assert!(rows.iter().flatten().any(|c| c == "313603"), "{rows:?}");
    let anonymous = server.get(&format!("{}/admin/summary.xlsx", server.base), &[]);
    assert_eq!(anonymous.status, 403);
    // The department merged from its units, once it has a name.
    let department = format!("{}/admin/department.xlsx", server.base);
    let unnamed = server.get(&department, &[("Cookie", &admin_cookie)]);
    assert_eq!(unnamed.status, 409);
    assert!(
        unnamed.json()["error"]
            .as_str()
            .unwrap()
            .contains("部门名称")
    );
    let csrf = "c".repeat(64);
    let no_redirects = no_redirects();
    let named = no_redirects
        .post(&format!("{}/admin/department", server.base))
        .header("Cookie", &format!("{admin_cookie}; yusuan_csrf={csrf}"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .send(format!("csrf={csrf}&code=313&name=%E6%9F%90%E5%8E%85").as_bytes())
        .unwrap();
    assert_eq!(named.status().as_u16(), 303);
    let merged = server.get(&department, &[("Cookie", &admin_cookie)]);
    assert_eq!(merged.status, 200, "{}", merged.body);
    let merged_path = dir.path().join("department.xlsx");
    std::fs::write(&merged_path, &merged.bytes).unwrap();
    assert_eq!(sheets(&merged_path)[0].1[1][0], "部门：313-某厅");

    // The unit's page shows its findings and history.
    let page = server.get(&a, &[]);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("仅警告"), "{}", page.body);
    assert!(page.body.contains("R7.2"));
    assert!(page.body.contains("预算.xlsx"));
}

#[test]
fn the_api_refuses_what_it_must_with_a_chinese_reason() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir.path().join("data"), &["--max-upload", "1M"]);
    let url = format!("{}/api/units", server.base);
    let none = server.get(&url, &[]);
    assert_eq!(none.status, 401);
    assert!(none.json()["error"].as_str().unwrap().contains("管理令牌"));
    let wrong = server.get(
        &url,
        &[("Authorization", &format!("Bearer {}", "f".repeat(64)))],
    );
    assert_eq!(wrong.status, 403);
    let bearer = format!("Bearer {}", server.admin);
    let not_json = server.post(&url, &[("Authorization", &bearer)], b"name=x");
    assert_eq!(not_json.status, 400);
    assert!(not_json.json()["error"].as_str().unwrap().contains("JSON"));

    let unit = server.add_unit("313603", "某中心");
    // Just over the limit: the server answers as soon as it has read past it, and a client
    // still writing a much larger body may see the connection close before the answer.
    let big = vec![b'P'; 1024 * 1024 + 80 * 1024];
    let too_large = server.upload(&unit, &[("大.xlsx", &big)]);
    assert_eq!(too_large.status, 413);
    assert!(
        too_large.json()["error"]
            .as_str()
            .unwrap()
            .contains("超过 1 MB 的上限")
    );
    // Not a zip: refused before it is stored.
    let fake = server.upload(&unit, &[("伪装.xlsx", b"<html>not a workbook</html>")]);
    assert_eq!(fake.status, 422);
    assert!(
        fake.json()["error"]
            .as_str()
            .unwrap()
            .contains("不是有效的 .xlsx")
    );
    let stored = std::fs::read_dir(dir.path().join("data/files"))
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(stored, 0, "nothing stored");
    // A crafted workbook: that upload's error, named as the unit named it; the server goes on.
    let crafted =
        std::fs::read(root().join("tests/fixtures/hostile/h01-cell-at-XFD1048576.xlsx")).unwrap();
    let answer = server.upload(&unit, &[("h01.xlsx", &crafted)]);
    assert_eq!(answer.status, 422);
    let reason = answer.json()["error"].as_str().unwrap().to_owned();
    assert!(reason.starts_with("h01.xlsx"), "{reason}");
    assert!(!reason.contains("files/"), "{reason}");
    assert_eq!(server.units()[0]["status"], "errors");
    let answer = server.upload(&unit, &[("预算.xlsx", &sample_bytes())]);
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(server.units()[0]["status"], "warnings");
}

#[test]
fn forms_need_their_check_and_workbook_texts_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir.path().join("data"), &[]);
    // The admin link sets the cookie and comes back without the token in the address.
    let agent = no_redirects();
    let link = agent
        .get(&format!("{}/admin?token={}", server.base, server.admin))
        .call()
        .unwrap();
    assert_eq!(link.status().as_u16(), 303);
    let admin_cookie = format!("yusuan_admin={}", server.admin);
    let page = server.get(
        &format!("{}/admin", server.base),
        &[("Cookie", &admin_cookie)],
    );
    assert_eq!(page.status, 200);
    let csrf = "a".repeat(64);
    // Without the check field: refused; with it (and its cookie): added.
    let form = "code=1&name=%3Cscript%3Ealert(1)%3C%2Fscript%3E";
    let refused = server.post(
        &format!("{}/admin/units", server.base),
        &[
            ("Cookie", &admin_cookie),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ],
        form.as_bytes(),
    );
    assert_eq!(refused.status, 403);
    assert!(
        refused.json()["error"]
            .as_str()
            .unwrap()
            .contains("表单校验失败")
    );
    let cookies = format!("{admin_cookie}; yusuan_csrf={csrf}");
    assert_eq!(
        post_form(
            &agent,
            &format!("{}/admin/units", server.base),
            &cookies,
            "application/x-www-form-urlencoded",
            format!("csrf={csrf}&{form}").as_bytes()
        ),
        303
    );
    let page = server.get(
        &format!("{}/admin", server.base),
        &[("Cookie", &admin_cookie)],
    );
    assert!(
        page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("<script>alert"));
    let unit = server.units()[0].clone();
    assert_eq!(unit["name"], "<script>alert(1)</script>");

    // A unit list imported (GBK CSV, as Excel saves it): new codes added, known ones kept.
    let (gbk, _, _) = encoding_rs::GB18030
        .encode("单位代码,单位名称\n313701,甲单位\n313702,乙单位\n1,重复的代码\n");
    // A list posted to the import form: the status of the answer.
    let import = |file: &str, bytes: &[u8]| {
        let (content_type, body) = multipart(&[(file, bytes)], &[("csrf", &csrf)]);
        let at = format!("{}/admin/import", server.base);
        post_form(&agent, &at, &cookies, &content_type, &body[..])
    };
    assert_eq!(import("名单.csv", &gbk), 303);
    let names: Vec<String> = server
        .units()
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names, ["<script>alert(1)</script>", "甲单位", "乙单位"]);
    // The same from a workbook's first sheet, read by the worker processes.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in [
        ["单位名称", "单位代码"],
        ["丙单位", "313703"],
        ["甲单位", "313701"],
    ]
    .iter()
    .enumerate()
    {
        for (c, text) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, *text).unwrap();
        }
    }
    let list = book.save_to_buffer().unwrap();
    assert_eq!(import("名单.xlsx", &list), 303);
    assert_eq!(server.units().as_array().unwrap().len(), 4);
    assert_eq!(server.units()[3]["code"], "313703");

    // A unit's link replaced: the old one stops working at once.
    let link = server.add_unit("313603", "某中心");
    assert_eq!(server.get(&link, &[]).status, 200);
    assert_eq!(
        post_form(
            &agent,
            &format!("{}/admin/units/5/link", server.base),
            &cookies,
            "application/x-www-form-urlencoded",
            format!("csrf={csrf}").as_bytes()
        ),
        303
    );
    assert_eq!(server.get(&link, &[]).status, 404);
    let page = server.get(
        &format!("{}/admin", server.base),
        &[("Cookie", &admin_cookie)],
    );
    let token = link.rsplit('/').next().unwrap();
    assert!(!page.body.contains(token));
    let fresh = page
        .body
        .split("href=\"")
        .filter_map(|s| s.split('"').next())
        .filter(|h| h.contains("/u/"))
        .last()
        .unwrap()
        .to_owned();

    // The round closed (by its form, checked): uploads are refused after.
    let link = fresh;
    assert_eq!(
        post_form(
            &agent,
            &format!("{}/admin/close", server.base),
            &cookies,
            "application/x-www-form-urlencoded",
            format!("csrf={csrf}").as_bytes()
        ),
        303
    );
    let refused = server.upload(&link, &[("预算.xlsx", &sample_bytes())]);
    assert_eq!(refused.status, 403);
    assert!(refused.json()["error"].as_str().unwrap().contains("已截止"));
}

#[test]
fn a_restart_keeps_the_round_and_twenty_uploads_at_once_are_all_read() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let links: Vec<String>;
    let admin;
    {
        let server = Server::start(&data, &[]);
        admin = server.admin.clone();
        links = (0..20)
            .map(|i| server.add_unit(&format!("9{i:05}"), &format!("单位{i}")))
            .collect();
        // Each unit's own workbook: the sample under its code.
        let books: Vec<Vec<u8>> = (0..20)
            .map(|i| {
                let path = dir.path().join(format!("{i}.xlsx"));
                let code = format!("9{i:05}");
                copy_sample_with(
                    &path,
                    |_| true,
                    |_, _, _, text| text.replace("313603", &code),
                );
                std::fs::read(&path).unwrap()
            })
            .collect();
        let answers: Vec<u16> = std::thread::scope(|s| {
            let handles: Vec<_> = links
                .iter()
                .zip(&books)
                .map(|(link, book)| s.spawn(|| server.upload(link, &[("预算.xlsx", book)]).status))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(answers, vec![200; 20]);
    }
    let server = Server::start(&data, &[]);
    assert_eq!(server.admin, admin, "the same admin link after a restart");
    // The links keep their tokens (the port is another: the test asks for any free one).
    let links: Vec<String> = links
        .iter()
        .map(|l| format!("{}/u/{}", server.base, l.rsplit('/').next().unwrap()))
        .collect();
    let units = server.units();
    assert_eq!(units.as_array().unwrap().len(), 20);
    assert!(
        units
            .as_array()
            .unwrap()
            .iter()
            .all(|u| u["status"] == "warnings"),
        "{units}"
    );
    // Each unit's page still shows its upload, and exactly one link reaches each workbook.
    for link in &links {
        let page = server.get(link, &[]);
        assert!(page.body.contains("预算.xlsx") && page.body.contains("仅警告"));
    }
    for id in 1..=20 {
        let owners = links
            .iter()
            .filter(|link| server.get(&format!("{link}/api/files/{id}"), &[]).status == 200)
            .count();
        assert_eq!(owners, 1, "upload {id}");
    }
    drop(server);
    // The round as a batch result folder: the files `batch` writes.
    let out = dir.path().join("export");
    let run = yusuan([
        "serve".as_ref(),
        "--data".as_ref(),
        data.as_os_str(),
        "--export".as_ref(),
        out.as_os_str(),
    ]);
    exits(&run, 0);
    for file in ["汇总.xlsx", "summary.csv", "findings.csv"] {
        assert!(out.join(file).exists(), "{file}");
    }
    let summary = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    assert_eq!(summary.lines().count(), 21, "{summary}");
}

/// A clerk's round in a real browser: headless Chromium (WebDriver, `tests/browser/unit_round.py`
/// with selenium) opens the unit's link, uploads the sample through the file input, waits for the
/// findings, downloads the official workbook — which reads back — and opens the department's
/// page. Its screenshots stay in `target/browser-screenshots/` to be looked at.
#[test]
#[cfg_attr(
    not(has_chromium),
    ignore = "needs Chromium and ChromeDriver: apt-get install chromium chromium-driver; pip install selenium"
)]
fn a_clerk_uploads_in_a_real_browser() {
    require("chromedriver", "chromium-driver");
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir.path().join("data"), &[]);
    let unit = server.add_unit("313603", "四川省人力资源和社会保障信息中心");
    let shots = root().join("target/browser-screenshots");
    let _ = std::fs::remove_dir_all(&shots);
    std::fs::create_dir_all(&shots).unwrap();
    let admin = format!("{}/admin?token={}", server.base, server.admin);
    let run = Command::new("python3")
        .arg(root().join("tests/browser/unit_round.py"))
        .args([&unit, &admin])
        .arg(sample())
        .arg(&shots)
        .output()
        .expect("python3 runs");
    assert!(
        run.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    for shot in [
        "unit-empty.png",
        "unit-findings.png",
        "unit-preview.png",
        "admin.png",
    ] {
        assert!(shots.join(shot).exists(), "{shot}");
    }
    let downloaded: Vec<_> = std::fs::read_dir(shots.join("download"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(downloaded.len(), 1, "{downloaded:?}");
    assert_eq!(
        yusuan(["check".as_ref(), downloaded[0].as_os_str()])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(server.units()[0]["status"], "warnings");
}

/// Listening beyond this machine, the department signs in with a password made up at the
/// first such start and shown once (only its Argon2 hash is kept): a wrong one is refused.
#[test]
fn a_server_open_to_other_machines_has_a_password_shown_once() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (server, printed) = Server::start_on(&data, "0.0.0.0:0", &[]);
    let line = printed
        .iter()
        .find(|l| l.starts_with("管理密码"))
        .unwrap_or_else(|| panic!("{printed:?}"));
    let password = line.rsplit('：').next().unwrap().trim().to_owned();
    assert_eq!(password.chars().count(), 16);
    let agent = no_redirects();
    let csrf = "b".repeat(64);
    let login = |password: &str| {
        agent
            .post(&format!("{}/login", server.base))
            .header("Cookie", &format!("yusuan_csrf={csrf}"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .send(format!("csrf={csrf}&password={password}").as_bytes())
            .unwrap()
    };
    assert_eq!(login("wrong-password-1").status().as_u16(), 403);
    let right = login(&password);
    assert_eq!(right.status().as_u16(), 303);
    let cookie = right
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    let admin_cookie = cookie.split(';').next().unwrap();
    let page = server.get(
        &format!("{}/admin", server.base),
        &[("Cookie", admin_cookie)],
    );
    assert_eq!(page.status, 200);
    drop(server);
    // A restart shows no password: only its hash is kept.
    let (_server, printed) = Server::start_on(&data, "0.0.0.0:0", &[]);
    assert!(
        !printed.iter().any(|l| l.starts_with("管理密码")),
        "{printed:?}"
    );
    let stored = std::fs::read(data.join("yusuan.db")).unwrap();
    assert!(!String::from_utf8_lossy(&stored).contains(&password));
}

/// A 情况说明 uploaded with (or after) the workbook is checked against its tables, as
/// `check --narrative` checks it; alone, before any workbook, it is refused with the reason.
#[test]
fn a_narrative_uploaded_is_checked_against_the_units_tables() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir.path().join("data"), &[]);
    let unit = server.add_unit("313603", "四川省人力资源和社会保障信息中心");
    let text = "收支预算总数 1347.44 万元。其中：基本支出 404.8 万元；项目支出 942.46 万元。\n";
    let early = server.upload(&unit, &[("情况说明.txt", text.as_bytes())]);
    assert_eq!(early.status, 422);
    assert!(early.json()["error"].as_str().unwrap().contains("请先上传"));
    let both = server.upload(
        &unit,
        &[
            ("情况说明.txt", text.as_bytes()),
            ("预算.xlsx", &sample_bytes()),
        ],
    );
    assert_eq!(both.status, 200, "{}", both.body);
    let json = both.json();
    assert_eq!(json["status"], "errors");
    let narrative = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["file"] == "情况说明.txt")
        .unwrap()
        .clone();
    let findings = narrative["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{narrative}");
    assert_eq!(
        (findings[0]["rule"].as_str(), findings[0]["actual"].as_str()),
        (Some("N1"), Some("942.46"))
    );
    // The unit's status is its budget's; the 情况说明 does not replace it.
    assert_eq!(server.units()[0]["status"], "warnings");
}

/// A unit not on the list registers by its first upload through the round's public link: the
/// workbook names it, it gets its private page; a unit already in the round cannot upload there.
#[test]
fn a_unit_not_on_the_list_registers_by_its_first_upload() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir.path().join("data"), &[]);
    let admin_cookie = format!("yusuan_admin={}", server.admin);
    let page = server.get(
        &format!("{}/admin", server.base),
        &[("Cookie", &admin_cookie)],
    );
    let round = page
        .body
        .split("href=\"")
        .filter_map(|s| s.split('"').next())
        .find(|h| h.starts_with("/r/"))
        .unwrap()
        .to_owned();
    let agent = no_redirects();
    let csrf = "d".repeat(64);
    let register = || {
        let (content_type, body) = multipart(&[("预算.xlsx", &sample_bytes())], &[("csrf", &csrf)]);
        agent
            .post(&format!("{}{round}/upload", server.base))
            .header("Cookie", &format!("yusuan_csrf={csrf}"))
            .header("Content-Type", &content_type)
            .send(&body[..])
            .unwrap()
    };
    let first = register();
    assert_eq!(first.status().as_u16(), 303);
    let location = first
        .headers()
        .get("location")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(location.starts_with("/u/"), "{location}");
    let units = server.units();
    assert_eq!(units[0]["code"], "313603");
    assert_eq!(units[0]["name"], "四川省人力资源和社会保障信息中心");
    assert_eq!(units[0]["status"], "warnings");
    let again = register();
    assert_eq!(again.status().as_u16(), 409);
    // A wrong round token is nothing.
    assert_eq!(
        server
            .get(&format!("{}/r/{}", server.base, "e".repeat(64)), &[])
            .status,
        404
    );
}
