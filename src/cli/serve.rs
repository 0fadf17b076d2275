//! `yusuan serve`: the collection round as a web page (and what a double-click starts).

use super::console::{errln, outln};
use super::options::ReadArgs;
use super::settings::Settings;
use anyhow::Result;
use std::net::SocketAddr;
use std::path::PathBuf;
use yusuan::serve::{ServeOptions, Started};
use yusuan::worker::Size;

#[derive(clap::Args)]
pub(crate) struct ServeCommand {
    /// 数据目录：数据库与上传的文件（停止服务后复制此目录即为备份）
    #[arg(long, value_name = "DIR", default_value = "yusuan-data")]
    data: PathBuf,
    /// 监听地址（默认只允许本机访问）
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// 单个上传文件的大小上限
    #[arg(long, value_name = "SIZE", default_value = "20M")]
    max_upload: Size,
    /// 不启动服务：把本轮各单位最新的报送按 batch 的格式导出到此目录（各单位文件夹、汇总.xlsx 等）
    #[arg(long, value_name = "DIR")]
    export: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) read: ReadArgs,
}

/// Serves until stopped; `open` (a double-click) opens the department's page in the browser.
pub(crate) fn run(settings: Settings, command: ServeCommand, open: bool) -> Result<u8> {
    if let Some(outdir) = &command.export {
        let reader = settings.reader()?;
        let options = yusuan::batch::Options {
            department: None,
            jobs: std::thread::available_parallelism().map_or(1, usize::from),
            formats: yusuan::convert::Formats::ALL,
            check: settings.check,
            duplicates: yusuan::read::Duplicates::Newest,
        };
        let report =
            yusuan::serve::export(&settings.edition, reader, &command.data, outdir, &options)?;
        let failed = report
            .units
            .iter()
            .filter(|u| u.status != yusuan::batch::Status::Ok)
            .count();
        errln!(
            "已导出 {} 个单位到 {}（通过 {}，有错误或无法读取 {}）",
            report.units.len(),
            outdir.display(),
            report.units.len() - failed,
            failed
        );
        return Ok(u8::from(failed > 0));
    }
    let options = ServeOptions {
        data: command.data,
        listen: command.listen,
        max_upload: command.max_upload.0,
    };
    let (edition, reader) = settings.into_parts()?;
    yusuan::serve::run(edition, Box::new(reader), &options, |started: &Started| {
        outln!("yusuan 预算报送服务已启动：{}", started.base);
        if let Some(password) = &started.new_password {
            outln!(
                "管理密码（只显示这一次，请记下；其他计算机在 {}/login 登录）：{password}",
                started.base
            );
        }
        outln!("管理页面（财政部门使用，请勿外传）：{}", started.admin_url);
        outln!("数据目录：{}；按 Ctrl+C 停止。", options.data.display());
        if open {
            open_in_browser(&started.admin_url);
        }
    })?;
    Ok(0)
}

/// Opens a page in the default browser, where the system has one (best effort).
fn open_in_browser(url: &str) {
    let mut command = if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else {
        std::process::Command::new("xdg-open")
    };
    let _ = command
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}
