//! `guanai staff add|list`.

use std::io::Write;

use clap::{Args, Subcommand};

use super::{CliError, Context, Format, Result, output};
use crate::domain::{NewStaff, Role};
use crate::i18n::Lang;
use crate::service::{Command, Outcome};

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum StaffCmd {
    /// Add a staff member. The first admin of a new database needs no user; after that only an
    /// admin adds staff.
    #[command(after_help = "Examples:
  guanai staff add 王丽华 --role admin --title 校长 --unix-user wanglh
  guanai staff add 李建国 --role class-teacher --role mentor --class 七(2)班 --unix-user lijg")]
    Add(AddArgs),
    /// Set a staff member's post, as the work summary names the organisation (admin).
    /// Example: guanai staff title 王丽华 校长
    Title {
        /// The staff member's name. Example: 王丽华
        name: String,
        /// The post: 校长, 副校长, 德育主任, 心理健康教师 …; "" clears it.
        title: String,
    },
    /// List the staff with roles, classes and Unix users.
    List {
        /// Output: table (aligned columns), tsv (for spreadsheets and scripts) or json.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// Full name, unique among the staff. Example: 王丽华
    pub name: String,
    /// A role; repeat for several: admin, counselor, class-teacher, mentor. Example: --role class-teacher
    #[arg(long = "role", required = true, value_name = "ROLE")]
    pub roles: Vec<String>,
    /// A class this person is class teacher of; repeat for several. Example: --class 七(2)班
    #[arg(long = "class", value_name = "CLASS")]
    pub classes: Vec<String>,
    /// The Unix account that identifies this person when they run guanai. Example: --unix-user wanglh
    #[arg(long, value_name = "U")]
    pub unix_user: Option<String>,
    /// The post, as the work summary names the organisation. Example: --title 校长
    #[arg(long, value_name = "TITLE")]
    pub title: Option<String>,
}

pub fn run(cmd: StaffCmd, ctx: &Context, out: &mut dyn Write) -> Result<()> {
    match cmd {
        StaffCmd::Title { name, title } => {
            let service = ctx.open()?;
            let staff = service.resolve_staff(crate::service::Field::Staff, &name)?;
            let title = Some(title.trim().to_string()).filter(|t| !t.is_empty());
            service.execute(Command::SetStaffTitle {
                staff: staff.id,
                title: title.clone(),
            })?;
            writeln!(
                out,
                "{} {}: {}",
                ctx.lang.pick("已设置职务", "post set for"),
                staff.name,
                title.as_deref().unwrap_or("-")
            )?;
            Ok(())
        }
        StaffCmd::Add(args) => {
            let mut roles = Vec::new();
            for r in &args.roles {
                let role = Role::from_key(r.trim()).ok_or_else(|| {
                    CliError::Input(match ctx.lang {
                        Lang::Zh => format!(
                            "--role: 不接受 \"{r}\"。应为: admin, counselor, class-teacher, mentor"
                        ),
                        Lang::En => format!(
                            "--role: \"{r}\" is not accepted. Expected one of: admin, counselor, class-teacher, mentor"
                        ),
                    })
                })?;
                if !roles.contains(&role) {
                    roles.push(role);
                }
            }
            let service = ctx.open()?;
            let outcome = service.execute(Command::AddStaff(NewStaff {
                name: args.name.clone(),
                roles,
                classes: args.classes.iter().map(|c| c.trim().to_string()).collect(),
                unix_user: args
                    .unix_user
                    .map(|u| u.trim().to_string())
                    .filter(|u| !u.is_empty()),
                title: args
                    .title
                    .map(|t| t.trim().to_string())
                    .filter(|t| !t.is_empty()),
            }))?;
            if let Outcome::Staff(id) = outcome {
                writeln!(
                    out,
                    "{} {} (#{})",
                    ctx.lang.pick("已添加教师", "added staff member"),
                    args.name.trim(),
                    id.0
                )?;
            }
            Ok(())
        }
        StaffCmd::List { format } => {
            let service = ctx.open_to_read()?;
            let staff = service.staff()?;
            match format {
                Format::Json => output::json(out, &staff)?,
                Format::Tsv | Format::Table => {
                    let rows: Vec<Vec<String>> = staff
                        .iter()
                        .map(|s| {
                            vec![
                                s.name.clone(),
                                s.roles
                                    .iter()
                                    .map(|r| match ctx.lang {
                                        Lang::Zh => r.zh(),
                                        Lang::En => r.key(),
                                    })
                                    .collect::<Vec<_>>()
                                    .join(","),
                                s.classes.join(","),
                                s.unix_user.clone().unwrap_or_default(),
                            ]
                        })
                        .collect();
                    if format == Format::Tsv {
                        output::tsv(out, &["name", "roles", "classes", "unix_user"], &rows)?;
                    } else {
                        let header = match ctx.lang {
                            Lang::Zh => ["姓名", "角色", "班级", "系统用户"],
                            Lang::En => ["name", "roles", "classes", "Unix user"],
                        };
                        output::table(out, &header, &rows)?;
                    }
                }
            }
            Ok(())
        }
    }
}
