//! `guanai event`: what is done to an entry already recorded — for now, marking it as a
//! typical case (典型案例) for the work summary's 成效. The entry is named by the number
//! `guanai log` printed (#123).

use std::io::Write;

use clap::Subcommand;

use super::{Context, Result};
use crate::domain::EventId;
use crate::service::Command;

#[derive(Debug, Subcommand)]
pub enum EventCmd {
    /// Mark an entry as a typical case (典型案例), counted in the term summary's 成效 (never
    /// named there); --off takes the mark off.
    #[command(
        after_help = "Examples:\n  guanai event typical 1234\n  guanai event typical 1234 --off"
    )]
    Typical {
        /// The entry's number, as `guanai log` printed it (#1234). Example: 1234
        #[arg(value_name = "ID")]
        id: String,
        /// Take the mark off.
        #[arg(long)]
        off: bool,
    },
}

/// The number of an entry as typed: 1234 or #1234.
fn entry_id(text: &str, ctx: &Context) -> Result<EventId> {
    text.trim()
        .trim_start_matches('#')
        .parse::<u64>()
        .map(EventId)
        .map_err(|_| {
            super::CliError::Input(ctx.lang.pick(
                &format!("ID: 不接受 \"{text}\"。应为: 记录的编号, 如 1234 (记录时显示的 #1234)"),
                &format!("ID: \"{text}\" is not accepted. Expected: an entry's number, e.g. 1234 (the #1234 shown when it was logged)"),
            ).to_string())
        })
}

pub fn run(cmd: EventCmd, ctx: &Context, out: &mut dyn Write) -> Result<()> {
    match cmd {
        EventCmd::Typical { id, off } => {
            let event = entry_id(&id, ctx)?;
            let service = ctx.open()?;
            service.execute(Command::MarkTypical {
                event,
                typical: !off,
            })?;
            let done = match (off, ctx.lang) {
                (false, crate::i18n::Lang::Zh) => "已标为典型案例",
                (true, crate::i18n::Lang::Zh) => "已取消典型案例标记",
                (false, crate::i18n::Lang::En) => "marked as a typical case",
                (true, crate::i18n::Lang::En) => "typical-case mark taken off",
            };
            writeln!(out, "#{} {done}", event.0)?;
            Ok(())
        }
    }
}
