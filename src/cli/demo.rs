//! `guanai demo` (fill a database with a synthetic school) and `guanai --demo` (try the app on
//! one in a temporary directory).

use std::io::Write;

use clap::Args;

use super::{CliError, Context, Format, Result, unix_user};
use crate::demo::{self, DemoOptions};
use chrono::NaiveDate;

use crate::domain::{ActivityKind, EventKind, NewActivity, NewEvent, StaffId};
use crate::i18n::Lang;
use crate::service::{BatchAudit, Command, Identity, Outcome, Service};

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  guanai --db /tmp/demo.redb demo                      a school of 120 children
  guanai --db /tmp/county.redb demo --children 10000   about 500,000 events, for benchmarks")]
pub struct DemoArgs {
    /// How many left-behind children (up to 50,000, a county). Example: --children 10000
    #[arg(long, default_value_t = 120, value_parser = clap::value_parser!(u32).range(1..=50_000))]
    pub children: u32,
    /// The random seed: the same seed, size and --today give the same school. Example: --seed 7
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Terms of history, counting the current one (3 gives about 50 events a child).
    /// Example: --terms 6
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=9))]
    pub terms: u32,
}

/// Children written per transaction: large enough to be fast, small enough to bound memory.
const CHUNK: usize = 250;

/// What was generated.
pub struct DemoSummary {
    pub children: usize,
    pub events: usize,
    pub staff: usize,
}

/// Writes a demo school into an empty database.
pub fn populate(service: &Service, opts: &DemoOptions) -> Result<DemoSummary> {
    let school = demo::school(opts);
    let label = |what: &str| BatchAudit::Summary(format!("demo seed={} {what}", opts.seed));
    let mut commands = vec![Command::SetSettings(school.settings.clone())];
    commands.extend(school.staff.iter().cloned().map(Command::AddStaff));
    let staff: Vec<StaffId> = service
        .execute_all(commands, label("school"))?
        .into_iter()
        .filter_map(|o| match o {
            Outcome::Staff(id) => Some(id),
            _ => None,
        })
        .collect();
    let mut generated = demo::children(opts, &school, &staff).peekable();
    let (mut children, mut events) = (0, 0);
    // The school's activities and training sessions, with who took part: written as group
    // activities once every child is on file.
    let mut groups: std::collections::BTreeMap<(NaiveDate, bool, String), NewActivity> =
        std::collections::BTreeMap::new();
    while generated.peek().is_some() {
        let chunk: Vec<_> = generated.by_ref().take(CHUNK).collect();
        let files = chunk
            .iter()
            .map(|c| Command::AddChild(Box::new(c.child.clone())))
            .collect();
        let ids = service.execute_all(files, label("children"))?;
        let mut log = Vec::new();
        for (outcome, generated) in ids.iter().zip(chunk) {
            if let Outcome::Child(child) = outcome {
                children += 1;
                for e in generated.events {
                    if matches!(e.kind, EventKind::Activity | EventKind::Training) {
                        let training = e.kind == EventKind::Training;
                        let group = groups
                            .entry((e.date, training, e.summary.clone()))
                            .or_insert_with(|| NewActivity {
                                kind: if training {
                                    ActivityKind::Training
                                } else {
                                    ActivityKind::Activity
                                },
                                date: e.date,
                                title: e.summary.clone(),
                                organiser: e.staff,
                                children: Vec::new(),
                                guardians: Vec::new(),
                            });
                        group.children.push(*child);
                        if training && let Some(g) = &generated.child.guardian {
                            group.guardians.push(g.name.clone());
                        }
                        continue;
                    }
                    log.push(Command::LogEvent(NewEvent {
                        child: *child,
                        kind: e.kind,
                        date: e.date,
                        staff: e.staff,
                        present: e.present,
                        summary: e.summary,
                        follow_up: e.follow_up,
                    }));
                }
            }
        }
        events += log.len();
        service.execute_all(log, label("events"))?;
    }
    let activities: Vec<Command> = groups.into_values().map(Command::AddActivity).collect();
    for chunk in activities.chunks(CHUNK) {
        for outcome in service.execute_all(chunk.to_vec(), label("activities"))? {
            if let Outcome::Activity(_, attended) = outcome {
                events += attended.len();
            }
        }
    }
    Ok(DemoSummary {
        children,
        events,
        staff: staff.len(),
    })
}

pub fn run(args: DemoArgs, ctx: &Context, out: &mut dyn Write) -> Result<()> {
    let service = ctx.open()?;
    if !service.roster(true)?.is_empty() || !service.staff()?.is_empty() {
        return Err(CliError::Input(match ctx.lang {
            Lang::Zh => format!(
                "--db: {} 已有数据; 演示学校只写入新的空数据库 (请换一个 --db 路径)",
                ctx.db.display()
            ),
            Lang::En => format!(
                "--db: {} already holds data; a demo school is only written into a new, empty database (give another --db path)",
                ctx.db.display()
            ),
        }));
    }
    let opts = DemoOptions {
        children: args.children as usize,
        seed: args.seed,
        today: ctx.today,
        admin_unix_user: unix_user(),
        history_terms: args.terms as usize,
    };
    let summary = populate(&service, &opts)?;
    match ctx.lang {
        Lang::Zh => writeln!(
            out,
            "已生成演示学校: {} 名学生, {} 名教师, {} 条记录 → {}",
            summary.children,
            summary.staff,
            summary.events,
            ctx.db.display()
        )?,
        Lang::En => writeln!(
            out,
            "demo school written: {} children, {} staff, {} events → {}",
            summary.children,
            summary.staff,
            summary.events,
            ctx.db.display()
        )?,
    }
    Ok(())
}

/// `guanai --demo`: a fresh demo school in a temporary directory, removed on exit.
pub fn run_demo_app(ctx: &Context, out: &mut dyn Write) -> Result<()> {
    let mut setup = super::app::AppSetup::load(ctx)?;
    setup.demo = true;
    let dir = tempfile::Builder::new().prefix("guanai-demo-").tempdir()?;
    let path = dir.path().join("demo.redb");
    let opts = DemoOptions {
        children: 120,
        seed: 1,
        today: ctx.today,
        admin_unix_user: unix_user(),
        history_terms: 3,
    };
    // The demo is opened as a class teacher with overdue work (the principal when there is
    // none), whoever runs it: the data is theirs alone.
    let user = {
        let service = Service::open(&path, ctx.today, Identity::Unknown)?;
        populate(&service, &opts)?;
        let staff = service.staff()?;
        staff
            .iter()
            .find(|s| s.roles.contains(&crate::domain::Role::ClassTeacher))
            .or(staff.first())
            .map(|s| s.name.clone())
            .unwrap_or_default()
    };
    let demo_ctx = Context {
        lang: ctx.lang,
        today: ctx.today,
        today_given: ctx.today_given,
        counsel_group: ctx.counsel_group.clone(),
        db: path.clone(),
        identity: Identity::Staff(user),
    };
    let service = demo_ctx.open()?;
    if super::app::is_interactive() {
        return super::app::run_app(setup, service, &demo_ctx, out);
    }
    writeln!(
        out,
        "{}",
        ctx.lang.pick(
            "演示学校 青山镇中心学校 (临时数据, 退出即删除, 不影响真实数据)",
            "Demo school 青山镇中心学校 (temporary data, removed on exit; your real data is untouched)"
        )
    )?;
    super::child::print_roster(&service, &demo_ctx, Format::Table, false, out)
}
