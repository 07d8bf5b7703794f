//! `guanai calendar`: the school's name, terms and holidays (the duties follow them).

use std::io::Write;

use chrono::Datelike;
use clap::Subcommand;

use super::{CliError, Context, Result, output};
use crate::domain::{Holiday, Term, TermKind};
use crate::i18n::Lang;
use crate::service::{Command, Field};

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum CalendarCmd {
    /// Add a term, or change the one with this name (admin). Example:
    /// guanai calendar term 2026秋 --start 2026-09-01 --end 2027-01-20
    Term {
        /// The term's name, as reports and --term use it. Example: 2026秋
        name: String,
        /// First day. Example: --start 2026-09-01
        #[arg(long)]
        start: String,
        /// Last day. Example: --end 2027-01-20
        #[arg(long)]
        end: String,
    },
    /// Add a holiday inside a term: duties pause on its days (admin). Example:
    /// guanai calendar holiday 国庆 --start 2026-10-01 --end 2026-10-07
    Holiday {
        /// Its name. Example: 国庆
        name: String,
        /// First day. Example: --start 2026-10-01
        #[arg(long)]
        start: String,
        /// Last day. Example: --end 2026-10-07
        #[arg(long)]
        end: String,
    },
    /// Set the school's name (admin). Example: guanai calendar school 青山镇中心学校
    School {
        /// The name. Example: 青山镇中心学校
        name: String,
    },
    /// Name the school's rules in force, as the work summary lists them (admin); none given:
    /// named after the duties kept. Example: guanai calendar rules 《谈心制度》 《家访制度》
    Rules {
        /// The rules' names. Example: 《家校联系制度》
        names: Vec<String>,
    },
}

fn dates(ctx: &Context, start: &str, end: &str) -> Result<(chrono::NaiveDate, chrono::NaiveDate)> {
    let s = ctx.date(Field::Date, start)?;
    let e = ctx.date(Field::Date, end)?;
    if e < s {
        return Err(CliError::Input(match ctx.lang {
            Lang::Zh => format!("--end: 不接受 \"{end}\"。应为不早于 --start ({s}) 的日期"),
            Lang::En => format!(
                "--end: \"{end}\" is not accepted. Expected a date not before --start ({s})"
            ),
        }));
    }
    Ok((s, e))
}

/// `guanai calendar` with or without a subcommand: the command's own subcommands are known
/// to the command line from the start (`guanai help calendar term` needs them before the
/// calendar's arguments are built), yet none is required.
#[derive(Debug)]
pub struct CalendarChoice(pub Option<CalendarCmd>);

impl clap::FromArgMatches for CalendarChoice {
    fn from_arg_matches(matches: &clap::ArgMatches) -> std::result::Result<Self, clap::Error> {
        Self::from_arg_matches_mut(&mut matches.clone())
    }

    fn from_arg_matches_mut(
        matches: &mut clap::ArgMatches,
    ) -> std::result::Result<Self, clap::Error> {
        match matches.subcommand_name() {
            None => Ok(CalendarChoice(None)),
            Some(_) => CalendarCmd::from_arg_matches_mut(matches).map(|c| CalendarChoice(Some(c))),
        }
    }

    fn update_from_arg_matches(
        &mut self,
        matches: &clap::ArgMatches,
    ) -> std::result::Result<(), clap::Error> {
        *self = Self::from_arg_matches(matches)?;
        Ok(())
    }
}

impl Subcommand for CalendarChoice {
    fn augment_subcommands(cmd: clap::Command) -> clap::Command {
        CalendarCmd::augment_subcommands(cmd)
    }

    fn augment_subcommands_for_update(cmd: clap::Command) -> clap::Command {
        CalendarCmd::augment_subcommands_for_update(cmd)
    }

    fn has_subcommand(name: &str) -> bool {
        CalendarCmd::has_subcommand(name)
    }
}

pub fn run(cmd: Option<CalendarCmd>, ctx: &Context, out: &mut dyn Write) -> Result<()> {
    let service = ctx.open()?;
    let mut settings = service.settings()?;
    let lang = ctx.lang;
    match cmd {
        None => {
            writeln!(
                out,
                "{}: {}",
                lang.pick("学校", "school"),
                settings.school_name
            )?;
            let current = settings.term_of(ctx.today).map(|t| t.name.clone());
            let rows: Vec<Vec<String>> = settings
                .terms
                .iter()
                .map(|t| {
                    vec![
                        t.name.clone(),
                        t.start.to_string(),
                        t.end.to_string(),
                        if Some(&t.name) == current.as_ref() {
                            lang.pick("← 本学期", "← current").to_string()
                        } else {
                            String::new()
                        },
                    ]
                })
                .collect();
            let header = match lang {
                Lang::Zh => ["学期", "开始", "结束", ""],
                Lang::En => ["term", "start", "end", ""],
            };
            output::table(out, &header, &rows)?;
            if settings.holidays.is_empty() {
                writeln!(
                    out,
                    "{}",
                    lang.pick("学期内假期: 无", "holidays in terms: none")
                )?;
            }
            for h in &settings.holidays {
                writeln!(
                    out,
                    "{} {}: {} – {}",
                    lang.pick("假期", "holiday"),
                    h.name,
                    h.start,
                    h.end
                )?;
            }
            return Ok(());
        }
        Some(CalendarCmd::Term { name, start, end }) => {
            let (start, end) = dates(ctx, &start, &end)?;
            let kind = if start.month() >= 7 {
                TermKind::Autumn
            } else {
                TermKind::Spring
            };
            let name = name.trim().to_string();
            settings.terms.retain(|t| t.name != name);
            settings.terms.push(Term {
                name,
                kind,
                start,
                end,
            });
            settings.terms.sort_by_key(|t| t.start);
        }
        Some(CalendarCmd::Holiday { name, start, end }) => {
            let (start, end) = dates(ctx, &start, &end)?;
            settings.holidays.push(Holiday {
                name: name.trim().to_string(),
                start,
                end,
            });
            settings.holidays.sort_by_key(|h| h.start);
        }
        Some(CalendarCmd::School { name }) => settings.school_name = name.trim().to_string(),
        Some(CalendarCmd::Rules { names }) => {
            settings.rules_in_force = names
                .iter()
                .map(|n| n.trim().to_string())
                .filter(|n| !n.is_empty())
                .collect();
        }
    }
    service.execute(Command::SetSettings(settings))?;
    writeln!(out, "{}", lang.pick("已保存", "saved"))?;
    Ok(())
}
