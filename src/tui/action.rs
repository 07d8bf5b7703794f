//! The named actions a key can run. A keymap refers to them by name; the app's `update` is
//! the only place that gives them meaning. Adding an action: a variant, its name and layers
//! here, a line in docs/keymaps.md (a test compares them).

/// Where a binding applies: one pane, or everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Layer {
    Roster,
    Child,
    Queue,
    Report,
    Audit,
    Global,
}

impl Layer {
    pub const ALL: [Layer; 6] = [
        Layer::Roster,
        Layer::Child,
        Layer::Queue,
        Layer::Report,
        Layer::Audit,
        Layer::Global,
    ];

    /// The table name in a keymap file.
    pub fn name(self) -> &'static str {
        match self {
            Layer::Roster => "roster",
            Layer::Child => "child",
            Layer::Queue => "queue",
            Layer::Report => "report",
            Layer::Audit => "audit",
            Layer::Global => "global",
        }
    }

    pub fn from_name(name: &str) -> Option<Layer> {
        Layer::ALL.into_iter().find(|l| l.name() == name)
    }
}

macro_rules! actions {
    ($( $variant:ident = $name:literal in [$($layer:ident),*] ),* $(,)?) => {
        /// Something the user asks the app to do.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Action { $($variant),* }

        impl Action {
            pub const ALL: &'static [Action] = &[$(Action::$variant),*];

            /// The name used in keymap files and the command palette.
            pub fn name(self) -> &'static str {
                match self { $(Action::$variant => $name),* }
            }

            /// The layers whose tables may bind it.
            pub fn layers(self) -> &'static [Layer] {
                match self { $(Action::$variant => &[$(Layer::$layer),*]),* }
            }
        }
    };
}

actions! {
    Quit = "quit" in [Global],
    Help = "help" in [Global],
    Palette = "palette" in [Global],
    Search = "search" in [Global, Roster],
    Open = "open" in [Global, Roster, Queue],
    Back = "back" in [Global],
    NextPane = "next_pane" in [Global],
    PrevPane = "prev_pane" in [Global],
    PaneRoster = "pane_roster" in [Global],
    PaneChild = "pane_child" in [Global],
    PaneQueue = "pane_queue" in [Global],
    PaneReport = "pane_report" in [Global],
    PaneAudit = "pane_audit" in [Global],
    Down = "down" in [Global, Roster, Child, Queue, Report, Audit],
    Up = "up" in [Global, Roster, Child, Queue, Report, Audit],
    Top = "top" in [Global, Roster, Child, Queue, Report, Audit],
    Bottom = "bottom" in [Global, Roster, Child, Queue, Report, Audit],
    PageDown = "page_down" in [Global, Roster, Child, Queue, Report, Audit],
    PageUp = "page_up" in [Global, Roster, Child, Queue, Report, Audit],
    Redraw = "redraw" in [Global],
    Suspend = "suspend" in [Global],
    FilterMine = "filter_mine" in [Roster],
    FilterClassNext = "filter_class_next" in [Roster],
    FilterClassPrev = "filter_class_prev" in [Roster],
    FilterKeySupport = "filter_key_support" in [Roster],
    FilterOverdue = "filter_overdue" in [Roster],
    FilterArchived = "filter_archived" in [Roster],
    FilterClear = "filter_clear" in [Roster],
    QueueGrouping = "queue_grouping" in [Queue],
    QueueMineOnly = "queue_mine_only" in [Queue],
    AuditChildOnly = "audit_child_only" in [Audit],
    ReportPrevTerm = "report_prev_term" in [Report],
    ReportNextTerm = "report_next_term" in [Report],
    ExportDocx = "export_docx" in [Report],
    ExportMarkdown = "export_markdown" in [Report],
    LogDuty = "log_duty" in [Queue],
    LogTalk = "log_talk" in [Roster, Child, Queue],
    LogVisit = "log_visit" in [Roster, Child, Queue],
    LogCall = "log_call" in [Roster, Child, Queue],
    LogGuardian = "log_guardian" in [Roster, Child, Queue],
    LogOther = "log_other" in [Roster, Child, Queue],
    TaskDone = "task_done" in [Queue],
    TaskSnooze = "task_snooze" in [Queue],
    TaskReassign = "task_reassign" in [Queue],
    TaskVoid = "task_void" in [Queue],
    PrintForms = "print_forms" in [Roster, Child, Queue],
    Undo = "undo" in [Global],
    Contacts = "contacts" in [Roster, Child, Queue],
    ArchiveChild = "archive_child" in [Roster, Child, Queue],
    RestoreChild = "restore_child" in [Roster, Child],
    NewActivity = "new_activity" in [Roster, Queue],
    NewChild = "new_child" in [Roster, Queue],
    ImportRoster = "import_roster" in [Roster],
    EditChild = "edit_child" in [Roster, Child, Queue],
    SurveyChild = "survey_child" in [Roster, Child, Queue],
    EditEntry = "edit_entry" in [Child],
    VoidEntry = "void_entry" in [Child],
}

impl Action {
    pub fn from_name(name: &str) -> Option<Action> {
        Action::ALL.iter().copied().find(|a| a.name() == name)
    }

    /// Every action's name, for messages that list what is accepted.
    /// Whether the action moves a list's cursor (the same in every pane).
    pub fn is_move(self) -> bool {
        matches!(
            self,
            Action::Down
                | Action::Up
                | Action::Top
                | Action::Bottom
                | Action::PageDown
                | Action::PageUp
        )
    }

    pub fn names_for(layer: Layer) -> Vec<&'static str> {
        Action::ALL
            .iter()
            .filter(|a| a.layers().contains(&layer))
            .map(|a| a.name())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_round_trip() {
        for a in Action::ALL {
            assert_eq!(Action::from_name(a.name()), Some(*a));
            assert!(!a.layers().is_empty(), "{a:?}");
        }
        let mut names: Vec<_> = Action::ALL.iter().map(|a| a.name()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), Action::ALL.len());
    }
}
