//! User-facing text, German first and English second. Every string on screen comes from here.

use kompromiss_shared::audit::AuditAction;
use kompromiss_shared::perm::{Level, Role};

/// The UI language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    De,
    En,
}

impl Lang {
    /// Reads a language code; anything but English is German.
    pub fn from_code(code: &str) -> Lang {
        if code.trim().eq_ignore_ascii_case("en") { Lang::En } else { Lang::De }
    }

    /// The code used in cookies and `<html lang>`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::De => "de",
            Lang::En => "en",
        }
    }

    /// The other language, for the switch.
    pub fn other(self) -> Lang {
        match self {
            Lang::De => Lang::En,
            Lang::En => Lang::De,
        }
    }

    /// The language named by a `Cookie` header (`lang=en`).
    pub fn from_cookie_header(header: &str) -> Lang {
        header
            .split(';')
            .filter_map(|p| p.trim().split_once('='))
            .find(|(k, _)| *k == "lang")
            .map_or(Lang::De, |(_, v)| Lang::from_code(v))
    }

    /// "3 Änderungen warten" / "3 changes waiting", with the language's plural.
    pub fn waiting_changes(self, n: usize) -> String {
        match (self, n) {
            (Lang::De, 1) => "1 Änderung wartet".to_owned(),
            (Lang::De, n) => format!("{n} Änderungen warten"),
            (Lang::En, 1) => "1 change waiting".to_owned(),
            (Lang::En, n) => format!("{n} changes waiting"),
        }
    }

    /// "3 ältere Diskussionen zeigen" / "Show 3 older discussions", with the language's plural.
    pub fn older_threads(self, n: usize) -> String {
        match (self, n) {
            (Lang::De, 1) => "1 ältere Diskussion zeigen".to_owned(),
            (Lang::De, n) => format!("{n} ältere Diskussionen zeigen"),
            (Lang::En, 1) => "Show 1 older discussion".to_owned(),
            (Lang::En, n) => format!("Show {n} older discussions"),
        }
    }

    /// The text for a key in this language.
    pub fn t(self, key: Key) -> &'static str {
        let (de, en) = key.texts();
        match self {
            Lang::De => de,
            Lang::En => en,
        }
    }
}

mod ballots;
mod drafts;
mod metrics;

/// The language from context (German if none was provided).
pub fn use_lang() -> Lang {
    leptos::prelude::use_context::<Lang>().unwrap_or_default()
}

macro_rules! keys {
    ($($name:ident => $de:literal, $en:literal;)*) => {
        /// A piece of user-facing text.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Key { $($name),* }

        impl Key {
            /// Every key, for completeness tests.
            pub const ALL: &'static [Key] = &[$(Key::$name),*];

            /// German and English text.
            pub fn texts(self) -> (&'static str, &'static str) {
                match self { $(Key::$name => ($de, $en)),* }
            }
        }
    };
}

keys! {
    History => "Verlauf", "History";
    WhoWrote => "Wer hat was geschrieben?", "Who wrote what?";
    WhoWroteHint => "Jede Farbe steht für eine Person; mit der Maus über einer Stelle steht ihr Name.", "Each colour stands for one person; hover a passage to see their name.";
    HistoryHint => "Wer hat wann woran gearbeitet? Jede Zeile endet bei einer Fassung, die ihr ansehen oder mit einer anderen vergleichen könnt.", "Who worked on what, and when? Each row ends at a version you can open or compare with another.";
    UnknownAuthor => "unbekannt", "unknown";
    ViewVersion => "Ansehen", "View";
    ReadOnlyVersion => "Nur zum Lesen: so sah das Konzept zu dieser Fassung aus.", "Read-only: the concept as it was at this version.";
    CompareFrom => "Von", "From";
    CompareTo => "Bis", "To";
    Compare => "Vergleichen", "Compare";
    VersionNow => "jetzt", "now";
    VersionStart => "Anfang", "start";
    NamedVersions => "Benannte Fassungen", "Named versions";
    NameVersion => "Aktuelle Fassung benennen", "Name the current version";
    VersionName => "Name der Fassung", "Name of the version";
    MergedDrafts => "Übernommene Entwürfe", "Merged drafts";
    RestoreWording => "Diesen Wortlaut wiederherstellen", "Restore this wording";
    Restored => "Wiederhergestellt: der frühere Wortlaut steht jetzt im Konzept.", "Restored: the earlier wording is in the concept now.";
    Drafts => "Kompromissvorschläge", "Compromise drafts";
    NewDraft => "Kompromissvorschlag / Änderungsantrag erstellen", "Propose a compromise or amendment";
    DraftScope => "Welche Teile will der Entwurf ändern? (freiwillig; ohne Auswahl: beliebige)", "Which parts does the draft mean to change? (optional; none chosen: any)";
    DraftScopeShown => "Will ändern:", "Means to change:";
    Ballots => "Abstimmungen", "Ballots";
    NoBallots => "Noch keine Abstimmungen.", "No ballots yet.";
    OpenBallotButton => "Abstimmung eröffnen", "Open a ballot";
    OpeningBallot => "Wird eröffnet …", "Opening …";
    BallotQuestion => "Frage", "Question";
    BallotKindLabel => "Art der Abstimmung", "Kind of ballot";
    KindProposal => "Ein Entwurf: Ja / Nein / Enthaltung", "One draft: yes / no / abstain";
    KindRanking => "Konkurrierende Entwürfe: Rangfolge (Schulze-Methode)", "Competing drafts: ranking (Schulze method)";
    KindSections => "Abschnittsweise: je Teil eine Fassung", "Section by section: one wording per part";
    BallotDraftsLabel => "Entwürfe, über die abgestimmt wird (in ihrer jetzigen Fassung eingefroren)", "Drafts voted on (frozen as they are now)";
    NoOpenDrafts => "Es gibt keine offenen Entwürfe, über die abgestimmt werden könnte.", "There are no open drafts to vote on.";
    MajorityLabel => "Mehrheit", "Majority";
    MajoritySimple => "Einfache Mehrheit (mehr Ja als Nein)", "Simple majority (more yes than no)";
    MajorityAbsolute => "Absolute Mehrheit (mehr Ja als Nein und Enthaltungen)", "Absolute majority (more yes than no and abstentions)";
    MajorityTwoThirds => "Zweidrittelmehrheit (mindestens doppelt so viele Ja wie Nein)", "Two-thirds majority (at least twice as many yes as no)";
    QuorumLabel => "Quorum", "Quorum";
    QuorumNone => "Kein Quorum", "No quorum";
    QuorumHalf => "Die Hälfte der Stimmberechtigten (aufgerundet)", "Half of those eligible (rounded up)";
    QuorumTwoThirdsOf => "Zwei Drittel der Stimmberechtigten (aufgerundet)", "Two thirds of those eligible (rounded up)";
    QuorumVoters => "Mindestens so viele Abstimmende:", "At least this many voters:";
    SecretLabel => "Geheim: niemand kann sehen, wer wie abgestimmt hat", "Secret: nobody can see who voted how";
    ChangeableLabel => "Stimme bis zum Schluss änderbar", "Votes can be changed until the close";
    EligibleLabel => "Stimmberechtigt", "Who may vote";
    EligibleEveryone => "Alle, die am Konzept mitwirken dürfen", "Everyone who takes part in the concept";
    EligibleEditors => "Nur Redaktion und Administration", "Editors and admins only";
    EligibleGroup => "oder die Gruppe (aus der Anmeldung):", "or the group (from the sign-in):";
    ClosesAtLabel => "Schließt am (Uhrzeit in Deutschland; leer: von Hand schließen)", "Closes at (German time; empty: close by hand)";
    BallotOpenStatus => "läuft", "open";
    BallotClosedStatus => "geschlossen", "closed";
    BallotSecretBadge => "geheim", "secret";
    BallotOf => "Abstimmung zu", "Ballot on";
    ClosesAtShown => "Schließt am", "Closes at";
    ClosedAtShown => "Geschlossen am", "Closed at";
    ClosesByHand => "Läuft, bis die Redaktion sie schließt.", "Runs until the editors close it.";
    SecretNote => "Geheime Abstimmung: Niemand – auch nicht die Administration – kann sehen, wer wie abgestimmt hat. Das Ergebnis gibt es erst nach dem Schluss.", "Secret ballot: nobody, not even the admins, can see who voted how. The result comes after the close.";
    OptionsHeading => "Worüber abgestimmt wird", "What is voted on";
    YourVote => "Deine Stimme", "Your vote";
    VoteYes => "Ja", "Yes";
    VoteNo => "Nein", "No";
    VoteAbstain => "Enthaltung", "Abstain";
    RankLabel => "Rang", "Rank";
    Unranked => "ohne Rang (zuletzt)", "unranked (last)";
    LeaveOpen => "offen lassen", "leave open";
    RankHint => "Gib jeder Option einen Rang: 1 ist dir am liebsten. Gleiche Ränge sind erlaubt; Optionen ohne Rang stehen zuletzt.", "Give each option a rank: 1 is your favourite. Equal ranks are allowed; unranked options come last.";
    CastVote => "Stimme abgeben", "Cast vote";
    ChangeVote => "Stimme ändern", "Change vote";
    Voting => "Wird abgegeben …", "Casting …";
    VotedNote => "Du hast abgestimmt.", "You have voted.";
    NotEligible => "Du bist bei dieser Abstimmung nicht stimmberechtigt.", "You may not vote in this ballot.";
    ReceiptLabel => "Deine Quittung", "Your receipt";
    ReceiptHint => "Notiere sie jetzt: Sie wird nur einmal gezeigt. Mit ihr findest du nach dem Schluss deinen Stimmzettel in der veröffentlichten Liste, und nur mit ihr kannst du deine Stimme ändern.", "Write it down now: it is shown only once. With it you find your ballot paper in the published list after the close, and only with it can you change your vote.";
    ReceiptInput => "Quittung deiner ersten Stimme", "Receipt of your first vote";
    CloseBallot => "Abstimmung schließen", "Close ballot";
    CloseConfirm => "Jetzt schließen? Danach kann niemand mehr abstimmen.", "Close now? Nobody can vote afterwards.";
    ResultHeading => "Ergebnis", "Result";
    VerdictAdopted => "angenommen", "adopted";
    VerdictRejected => "abgelehnt", "rejected";
    VerdictTied => "Stimmengleichheit – abgelehnt", "tie – rejected";
    VerdictQuorumMissed => "Quorum verfehlt – keine Entscheidung", "quorum missed – no decision";
    RankingHeading => "Rangfolge", "Ranking";
    PairwiseHeading => "Paarweiser Vergleich (so viele ziehen die Zeile der Spalte vor)", "Pairwise comparison (how many prefer the row to the column)";
    PathsHeading => "Stärkste Pfade", "Strongest paths";
    DrawnNote => "Gleichstand an der Spitze: entschieden durch die Reihenfolge, die beim Eröffnen ausgelost und gespeichert wurde.", "A tie at the top: settled by the order drawn and recorded when the ballot opened.";
    TiedWithNext => "gleichauf mit der nächsten", "tied with the next";
    WinnerPart => "gewählt", "chosen";
    DownloadCsv => "Liste herunterladen (CSV)", "Download the list (CSV)";
    DownloadJson => "Liste zum Nachzählen (JSON)", "List for a recount (JSON)";
    RecountHint => "Nachzählen: kompromiss ballot verify <Datei>", "Recount: kompromiss ballot verify <file>";
    WhoVotedHow => "Wer wie abgestimmt hat", "Who voted how";
    PreviewDecision => "Vorschau des Beschlusses", "Preview the decision";
    MergeDecision => "Beschluss ins Konzept übernehmen", "Carry the decision into the concept";
    DecisionMerged => "Der Beschluss ist ins Konzept übernommen.", "The decision is in the concept.";
    NothingAdopted => "Nichts angenommen: das Konzept bleibt, wie es ist.", "Nothing adopted: the concept stays as it is.";
    Decisions => "Beschlüsse", "Decisions";
    Metrics => "Kennzahlen", "Metrics";
    Evaluation => "Evaluation", "Evaluation";
    ExportAs => "Herunterladen als", "Download as";
    ExportMotion => "PDF (Änderungsantrag mit Zeilen)", "PDF (motion with line numbers)";
    ExportTracked => "Word (Änderungen nachverfolgt)", "Word (tracked changes)";
    ExportPdf => "PDF mit Zeilennummern", "PDF with line numbers";
    EvaluationDraftNote => "Entwurf: Die Redaktion schreibt noch daran. Entscheidungen, Bewertungen und Kennzahlen sind auf dem Stand von jetzt.", "Draft: the editors are still writing it. Decisions, assessments and metrics are as they are now.";
    EvaluationFrozenNote => "Festgeschrieben: Diese Evaluation ändert sich nicht mehr.", "Frozen: this evaluation no longer changes.";
    EvaluationYears => "Evaluationen", "Evaluations";
    EvaluationDraftBadge => "Entwurf", "draft";
    EvaluationSummary => "Zusammenfassung", "Summary";
    EvaluationCommentary => "Kommentar der Redaktion", "The editors' commentary";
    NoCommentary => "Kein Kommentar.", "No commentary.";
    SaveText => "Speichern", "Save";
    SavingText => "Wird gespeichert …", "Saving …";
    TextSaved => "Gespeichert.", "Saved.";
    EvaluationStale => "Jemand hat die Evaluation inzwischen geändert. Bitte die Seite neu laden; dein Text bleibt bis dahin hier stehen.", "Someone changed the evaluation meanwhile. Please reload the page; your text stays here until then.";
    EvaluationIsFrozen => "Die Evaluation ist festgeschrieben und ändert sich nicht mehr.", "The evaluation is frozen and no longer changes.";
    YearChangesHeading => "Änderungen am Konzept in diesem Jahr", "Changes to the concept this year";
    NoYearChanges => "Keine Änderungen in diesem Jahr.", "No changes this year.";
    ChangesUnavailable => "Der Verlauf konnte gerade nicht gelesen werden.", "The history could not be read just now.";
    YearBallotsHeading => "Abstimmungen in diesem Jahr", "Ballots this year";
    NoYearBallots => "Keine Abstimmungen in diesem Jahr.", "No ballots this year.";
    FreezeHeading => "Als vorgestellt festschreiben", "Freeze as presented";
    FreezeHint => "Nach dem Festschreiben ändert sich die Evaluation nicht mehr – auch nicht, wenn Kennzahlen später korrigiert werden.", "Once frozen the evaluation no longer changes – not even when metrics are corrected later.";
    PresentedOn => "Vorgestellt am", "Presented on";
    PresentedTo => "Gremium", "Body";
    PresentedToDefault => "Landesparteirat", "Landesparteirat";
    FreezeButton => "Festschreiben", "Freeze";
    Freezing => "Wird festgeschrieben …", "Freezing …";
    FreezeConfirm => "Die Evaluation festschreiben? Danach kann sie niemand mehr ändern.", "Freeze the evaluation? After that nobody can change it.";
    BadDate => "Bitte ein Datum angeben.", "Please give a date.";
    MetricsIntro => "Nachvollziehbare Kennzahlen je Plattform und Monat. Jeder Wert zeigt, wer ihn wann aus welcher Quelle eingetragen hat; Korrekturen behalten den alten Wert.", "Traceable metrics per platform and month. Every value shows who entered it, when and from which source; corrections keep the old value.";
    MetricsYear => "Jahr", "Year";
    Charts => "Diagramme", "Charts";
    ChartFigure => "Kennzahl", "Figure";
    ChartAllPlatforms => "Alle Plattformen im Jahresverlauf", "All platforms over the year";
    ChartYearOverYear => "Eine Plattform im Vergleich zum Vorjahr", "One platform against the year before";
    ChartAsTable => "Werte als Tabelle", "Values as a table";
    YearFigures => "Jahreswerte", "Figures for the year";
    YearFiguresHint => "Summen über die Monate; Follower: der letzte erfasste Monat. Abgeleitete Werte teilen die Jahressummen über die Monate, in denen beide Werte erfasst sind.", "Sums over the months; followers: the latest month recorded. Derived figures divide the year's sums over the months where both values are recorded.";
    MetricValues => "Werte je Monat", "Values per month";
    MetricValuesHint => "Ein Wert zeigt beim Anklicken, wer ihn wann aus welcher Quelle eingetragen hat, und seine früheren Fassungen.", "Select a value to see who entered it, when and from which source, and its earlier versions.";
    MonthColumn => "Monat", "Month";
    NoValuesFor => "Keine Werte in diesem Jahr für:", "No values this year for:";
    Values => "Werte", "values";
    NoMetricValues => "Für dieses Jahr sind noch keine Werte erfasst.", "No values are recorded for this year yet.";
    ValueOrigin => "Herkunft des Werts", "Where the value comes from";
    EnteredBy => "eingetragen von", "entered by";
    SourceLabel => "Quelle", "Source";
    FromFile => "aus Datei", "from file";
    ValueRemoved => "entfernt", "removed";
    Corrected => "korrigiert", "corrected";
    CloseOrigin => "Schließen", "Close";
    EnterValues => "Werte eintragen", "Enter values";
    EnterValuesHint => "Leere Felder bleiben, wie sie sind. Die Quelle gilt für alle eingetragenen Werte.", "Empty fields stay as they are. The source applies to every value entered.";
    SourceDefault => "Statistik der Plattform", "The platform's statistics";
    SaveValues => "Werte speichern", "Save values";
    SavingValues => "Wird gespeichert …", "Saving …";
    ValuesSaved => "Gespeichert.", "Saved.";
    ValuesUnchanged => "Nichts geändert: die Werte stehen schon so da.", "Nothing changed: the values are already recorded.";
    BadValue => "Bitte nur Zahlen eintragen, z. B. 1234 oder 12,50 (ohne Tausenderpunkt).", "Please enter numbers only, e.g. 1234 or 12.50 (without a thousands separator).";
    BadSource => "Bitte eine Quelle angeben (höchstens 200 Zeichen).", "Please name a source (at most 200 characters).";
    MetricsTooFast => "Bitte einen Moment warten und noch einmal versuchen.", "Please wait a moment and try again.";
    MetricsFull => "Dieses Konzept hat so viele Kennzahlen gespeichert, wie es darf.", "This concept holds as many metric values as it may.";
    ImportCsv => "CSV-Datei importieren", "Import a CSV file";
    ImportHint => "Eine Zeile je Plattform und Monat, eine Spalte je Kennzahl; Trennzeichen Semikolon, Komma oder Tabulator; Zahlen ohne Tausenderpunkt, Dezimalkomma oder -punkt. Spalten „Plattform“ und „Monat“ (2026-03 oder 03.2026) sind nötig, „Quelle“ ist freiwillig. Es wird alles oder nichts importiert.", "One row per platform and month, one column per metric; separated by semicolon, comma or tab; numbers without a thousands separator, with a decimal comma or point. Columns “Platform” and “Month” (2026-03 or 03.2026) are required, “Source” is optional. All or nothing is imported.";
    DownloadExample => "Beispieldatei herunterladen", "Download an example file";
    ChooseFile => "Datei", "File";
    CheckFile => "Datei prüfen", "Check the file";
    CheckingFile => "Wird geprüft …", "Checking …";
    ImportNow => "Jetzt importieren", "Import now";
    Importing => "Wird importiert …", "Importing …";
    NoFileChosen => "Bitte zuerst eine Datei auswählen.", "Please choose a file first.";
    FileUnreadable => "Die Datei konnte nicht gelesen werden.", "The file could not be read.";
    ColumnMapping => "So werden die Spalten gelesen", "How the columns are read";
    ColumnInFile => "Spalte in der Datei", "Column in the file";
    ReadAs => "gelesen als", "read as";
    ColumnIgnored => "wird nicht importiert", "not imported";
    ImportRejected => "Die Datei wurde nicht importiert. Bitte diese Zeilen korrigieren und die Datei noch einmal prüfen:", "The file was not imported. Please correct these lines and check the file again:";
    RecentImports => "Letzte Importe", "Recent imports";
    NoImports => "Noch keine Importe.", "No imports yet.";
    BallotAlreadyVoted => "Du hast schon abgestimmt; diese Abstimmung erlaubt kein Ändern.", "You have voted already; this ballot does not allow changes.";
    BallotIsClosed => "Die Abstimmung ist geschlossen.", "The ballot is closed.";
    BallotBadReceipt => "Diese Quittung gehört zu keinem Stimmzettel dieser Abstimmung.", "This receipt belongs to no ballot paper of this ballot.";
    BallotNobodyEligible => "Nach dieser Regel wäre niemand stimmberechtigt.", "Under this rule nobody could vote.";
    BallotBadDrafts => "Bitte die passende Zahl offener Entwürfe wählen (ein Antrag: genau einer).", "Please choose the right number of open drafts (one proposal: exactly one).";
    BallotBadClose => "Beginn und Schluss müssen in der Zukunft liegen, höchstens ein Jahr entfernt, der Schluss nach dem Beginn.", "Start and close must lie in the future, at most a year ahead, the close after the start.";
    BallotNoParts => "Die gewählten Entwürfe ändern keinen Abschnitt und keine Plattform: abschnittsweise gibt es nichts abzustimmen.", "The chosen drafts change no section or platform: there is nothing to vote on section by section.";
    DraftInBallot => "Über diesen Entwurf wird abgestimmt: Er kann erst zurückgezogen werden, wenn der Beschluss übernommen ist.", "This draft is being voted on: it can be withdrawn once the decision is merged.";
    BallotNotYet => "Die Abstimmung hat noch nicht begonnen.", "The ballot has not begun yet.";
    OpensAtLabel => "Beginnt am (Uhrzeit in Deutschland; leer: sofort)", "Begins at (German time; empty: at once)";
    StartsAtShown => "Beginnt am", "Begins at";
    DecisionEntry => "Beschluss der Abstimmung", "Decision of the ballot";
    BallotTooFast => "Zu viele Schritte in kurzer Zeit. Bitte einen Moment warten.", "Too many steps in a short time. Please wait a moment.";
    DecisionsIntro => "Alle Abstimmungen zu diesem Konzept, und wie jede Entscheidung zustande kam: von der Diskussion über den Entwurf und die Abstimmung bis zur übernommenen Fassung.", "Every ballot on this concept, and how each decision came about: from the discussion through the draft and the ballot to the merged version.";
    NoDecisions => "Noch keine Abstimmungen.", "No ballots yet.";
    TrailDraft => "Entwurf", "Draft";
    TrailAdopted => "angenommen", "adopted";
    TrailDiscussion => "Diskussion dazu", "Its discussion";
    TrailNoDiscussion => "Keine Kommentare zum Entwurf.", "No comments on the draft.";
    TrailMerged => "Ins Konzept übernommen am", "Carried into the concept on";
    TrailNotMerged => "Noch nicht ins Konzept übernommen.", "Not yet carried into the concept.";
    TrailOpenHistory => "Fassung im Verlauf ansehen", "See the version in the history";
    PlatformDecisionsHeading => "Wie die Plattform-Entscheidungen zustande kamen", "How the platform decisions came about";
    PlatformByBallot => "durch die Abstimmung", "by the ballot";
    PlatformNoBallot => "ohne Abstimmung (im Konzept festgelegt)", "without a ballot (set in the concept)";
    DecisionBefore => "vorher", "before";
    NewDraftHint => "Der Entwurf beginnt als das Konzept, wie es jetzt ist. Ihr ändert ihn gemeinsam; das Konzept bleibt unverändert, bis die Redaktion ihn übernimmt.", "The draft starts as the concept is now. You change it together; the concept stays as it is until the editors merge it.";
    DraftTitle => "Titel des Vorschlags", "Title of the draft";
    DraftReason => "Begründung", "Reason";
    DraftCreate => "Entwurf anlegen", "Create draft";
    DraftCreating => "Entwurf wird angelegt …", "Creating the draft …";
    NoDrafts => "Noch keine Kompromissvorschläge.", "No drafts yet.";
    DraftOf => "Kompromissvorschlag zu", "Draft for";
    DraftStatusOpen => "in Arbeit", "open";
    DraftStatusWithdrawn => "zurückgezogen", "withdrawn";
    DraftStatusMerged => "übernommen", "merged";
    DraftBy => "von", "by";
    DraftBehind => "Das Konzept hat sich geändert, seit dieser Entwurf begonnen oder zuletzt abgeglichen wurde.", "The concept changed since this draft started or last caught up.";
    DraftBehindShort => "Konzept inzwischen geändert", "concept changed since";
    DraftMeanwhile => "Inzwischen im Konzept geändert", "Changed in the concept meanwhile";
    CatchUp => "Änderungen des Konzepts in den Entwurf holen", "Bring the concept's changes into the draft";
    CatchingUp => "Wird abgeglichen …", "Catching up …";
    CaughtUp => "Der Entwurf ist auf dem Stand des Konzepts.", "The draft is up to date with the concept.";
    DraftConflicts => "Diese Stellen haben Entwurf und Konzept beide geändert – bitte prüfen:", "Both the draft and the concept changed these passages – please check:";
    DraftChanges => "Was dieser Entwurf ändert", "What this draft changes";
    DraftNoChanges => "Dieser Entwurf ändert noch nichts am Konzept.", "This draft does not change the concept yet.";
    DiffInline => "Im Text", "Inline";
    DiffSideBySide => "Nebeneinander", "Side by side";
    DiffBefore => "Bisher", "Before";
    DiffAfter => "Neu", "After";
    DiffAdded => "neu eingefügt", "added";
    DiffRemoved => "gestrichen", "removed";
    DiffTitle => "Titel", "Title";
    DiffRefresh => "Änderungen neu berechnen", "Recompute the changes";
    Section => "Abschnitt", "Section";
    Platform => "Plattform", "Platform";
    FieldTargetGroups => "Zielgruppen", "Target groups";
    FieldRationale => "Begründung", "Rationale";
    MergeTitle => "In das Konzept übernehmen", "Merge into the concept";
    MergeWhole => "Den ganzen Entwurf übernehmen", "Merge the whole draft";
    MergeSome => "Nur die angekreuzten Teile übernehmen", "Adopt only the ticked parts";
    MergePreview => "Vorschau zeigen", "Show preview";
    MergePreviewTitle => "So ändert sich das Konzept", "This is how the concept changes";
    MergeConfirm => "Jetzt übernehmen", "Merge now";
    Merging => "Wird übernommen …", "Merging …";
    MergedNote => "Dieser Entwurf wurde in das Konzept übernommen.", "This draft was merged into the concept.";
    MergedParts => "Übernommene Teile:", "Adopted parts:";
    ToConcept => "Zum Konzept", "To the concept";
    Withdraw => "Entwurf zurückziehen", "Withdraw the draft";
    Reopen => "Entwurf wieder öffnen", "Reopen the draft";
    AuthorsLabel => "Verfasst von", "Written by";
    InviteAuthor => "Mitautorin oder Mitautor einladen", "Invite a co-author";
    InviteSearch => "Name suchen", "Search a name";
    Invite => "Einladen", "Invite";
    AppName => "Kompromiss", "Kompromiss";
    Tagline => "Gemeinsam Konzepte schreiben, diskutieren und beschließen", "Write, discuss and decide policy concepts together";
    SwitchLang => "English", "Deutsch";
    Documents => "Konzepte", "Concepts";
    NoDocuments => "Noch keine Konzepte. Lege das erste aus einer Vorlage an.", "No concepts yet. Create the first one from a template.";
    NoDocumentsYet => "Noch keine Konzepte.", "No concepts yet.";
    NewFromTemplate => "Neues Konzept aus Vorlage", "New concept from template";
    Create => "Anlegen", "Create";
    LastChanged => "Zuletzt geändert", "Last changed";
    Untitled => "(ohne Titel)", "(untitled)";
    DevBanner => "Entwicklungs-Anmeldung aktiv: Jede Person kann sich mit beliebigem Namen anmelden. Nur für lokale Tests!", "Development sign-in is on: anyone can sign in under any name. Local testing only!";
    SignInDev => "Anmelden (Entwicklung)", "Sign in (development)";
    DisplayName => "Anzeigename", "Display name";
    SignIn => "Anmelden", "Sign in";
    SignOut => "Abmelden", "Sign out";
    SignedInAs => "Angemeldet als", "Signed in as";
    Title => "Titel", "Title";
    Sections => "Abschnitte", "Sections";
    Heading => "Überschrift", "Heading";
    Body => "Text (Markdown)", "Text (Markdown)";
    Preview => "Vorschau", "Preview";
    EditAll => "Alles bearbeiten", "Edit everything";
    EditPart => "Bearbeiten", "Edit";
    DoneEditing => "Fertig", "Done";
    EmptyText => "Noch kein Text.", "No text yet.";
    EditHint => "Zum Bearbeiten in einen Abschnitt klicken.", "Click into a section to edit it.";
    ThreadsHere => "Kommentare zu dieser Stelle", "Comments on these words";
    CloseThreads => "Schließen", "Close";
    OlderThreadsLeftOut => "Ältere Diskussionen passen nicht mehr auf diese Seite; Skripte holen sie über die API (before=).", "Older discussions no longer fit on this page; scripts fetch them through the API (before=).";
    Cancel => "Abbrechen", "Cancel";
    CommentOn => "Kommentieren:", "Comment on:";
    AddSection => "Abschnitt hinzufügen", "Add section";
    NewSection => "Neuer Abschnitt", "New section";
    RemoveSection => "Abschnitt entfernen", "Remove section";
    Platforms => "Plattformen", "Platforms";
    PlatformName => "Plattform", "Platform";
    Decision => "Entscheidung", "Decision";
    TargetGroups => "Zielgruppen", "Target groups";
    Rationale => "Begründung", "Rationale";
    Assessment => "Bewertung", "Assessment";
    CheckFulfilled => "erfüllt", "fulfilled";
    CheckNotFulfilled => "nicht erfüllt", "not fulfilled";
    CheckUnclear => "ungeklärt", "unclear";
    CheckNotAssessed => "noch nicht bewertet", "not assessed yet";
    CheckNote => "Anmerkung", "Note";
    NotAnswered => "–", "–";
    DateHint => "Datum als JJJJ-MM-TT, z. B. 2027-03-31", "Date as YYYY-MM-DD, e.g. 2027-03-31";
    NumberHint => "Eine Zahl, z. B. 4 oder 12,50", "A number, e.g. 4 or 12.50";
    AddPlatform => "Plattform hinzufügen", "Add platform";
    Discussion => "Diskussion", "Discussion";
    DiscussPlatform => "Diskutieren", "Discuss";
    TextAsItWas => "Text, wie er damals war", "The text as it was";
    EarlierWordings => "Frühere Fassungen", "Earlier wordings";
    ArgumentFor => "Dafür:", "For:";
    ArgumentAgainst => "Dagegen:", "Against:";
    MentionPick => "Erwähnen:", "Mention:";
    EditComment => "Bearbeiten", "Edit";
    SaveComment => "Speichern", "Save";
    LockThread => "Sperren", "Lock";
    UnlockThread => "Entsperren", "Unlock";
    FilterOpen => "offen", "open";
    FilterResolved => "erledigt", "resolved";
    FilterMine => "meine", "mine";
    FilterPlatforms => "Plattformen", "platforms";
    FilterAll => "alle", "all";
    ShowThreads => "Diskussionen zeigen", "Show discussions";
    Outline => "Gliederung", "Outline";
    OpenThreads => "offene Diskussionen", "open discussions";
    CommentSelection => "Markierte Stelle kommentieren", "Comment on the selected words";
    SelectWordsFirst => "Bitte zuerst Wörter im Text markieren.", "Please select words in the text first.";
    Moderation => "Moderation", "Moderation";
    Notifications => "Benachrichtigungen", "Notifications";
    Unread => "ungelesen", "unread";
    NoNotifications => "Keine Benachrichtigungen.", "No notifications.";
    MarkAllRead => "Alle als gelesen markieren", "Mark all as read";
    NotifiedMention => "hat dich erwähnt", "mentioned you";
    NotifiedReply => "hat in einer Diskussion geantwortet, an der du teilnimmst", "replied in a discussion you take part in";
    NotifiedResolved => "hat deine Diskussion als erledigt markiert", "resolved your discussion";
    NotifiedHidden => "hat deinen Kommentar ausgeblendet", "hid your comment";
    ModerationHint => "Gemeldete Kommentare. Ausblenden ersetzt die Worte für alle durch die Begründung; die verfassende Person sieht sie weiter und wird benachrichtigt.", "Reported comments. Hiding replaces the words for everyone with the reason; their author still sees them and is notified.";
    NoReports => "Keine offenen Meldungen.", "No open reports.";
    BackToConcept => "Zurück zum Konzept", "Back to the concept";
    HideReason => "Begründung (für alle sichtbar)", "Reason (shown to everyone)";
    HideComment => "Ausblenden", "Hide";
    KeepComment => "Sichtbar lassen", "Keep visible";
    HideNeedsReason => "Bitte eine Begründung angeben.", "Please give a reason.";
    ResolveThread => "Als erledigt markieren", "Mark as resolved";
    ReopenThread => "Wieder öffnen", "Reopen";
    DeleteComment => "Löschen", "Delete";
    ReportComment => "Melden", "Report";
    ReportReasonLabel => "Grund", "Reason";
    ReasonInsult => "Beleidigung", "Insult";
    ReasonHate => "Hassrede", "Hate speech";
    ReasonThreat => "Bedrohung", "Threat";
    ReasonDisinformation => "Desinformation", "Disinformation";
    ReasonSpam => "Spam", "Spam";
    ReasonOther => "Sonstiges", "Other";
    ReportNote => "Hinweis (freiwillig)", "Note (optional)";
    SendReport => "Meldung senden", "Send report";
    Reported => "Gemeldet – danke. Die Redaktion sieht es sich an.", "Reported – thank you. The editors will look at it.";
    NoThreads => "Noch keine Kommentare.", "No comments yet.";
    ReplyLabel => "Antwort", "Reply";
    SendReply => "Antworten", "Reply";
    NewComment => "Kommentar", "Comment";
    SendComment => "Kommentieren", "Comment";
    Edited => "bearbeitet", "edited";
    CommentDeleted => "Kommentar gelöscht", "Comment deleted";
    HiddenByModeration => "Ausgeblendet durch die Moderation:", "Hidden by the moderation:";
    ThreadResolved => "erledigt", "resolved";
    ThreadLocked => "gesperrt", "locked";
    StanceLabel => "Haltung zur Entscheidung", "Stance on the decision";
    StanceNone => "keine Angabe", "none";
    StanceFor => "dafür", "for";
    StanceAgainst => "dagegen", "against";
    StanceNeutral => "neutral", "neutral";
    PassageRemoved => "Textstelle entfernt", "Passage removed";
    OnPlatform => "Zu", "On";
    CommentSending => "Wird gesendet …", "Sending …";
    CommentFailed => "Der Kommentar wurde nicht gespeichert. Bitte erneut versuchen.", "The comment was not saved. Please try again.";
    CommentTooFast => "Zu viele Kommentare in kurzer Zeit. Bitte eine Minute warten.", "Too many comments in a short time. Please wait a minute.";
    CommentEmpty => "Der Kommentar ist leer oder zu lang (höchstens 10.000 Zeichen).", "The comment is empty or too long (at most 10,000 characters).";
    CommentLocked => "Diese Diskussion ist gesperrt.", "This discussion is locked.";
    RemovePlatform => "Entfernen", "Remove";
    DecisionNutzen => "nutzen", "use";
    DecisionEvaluieren => "evaluieren", "evaluate";
    DecisionVerlassen => "verlassen", "leave";
    DecisionOffen => "offen", "open";
    StatusConnecting => "Verbinde …", "Connecting …";
    StatusSaving => "Wird gespeichert …", "Saving …";
    StatusSaved => "Gespeichert", "Saved";
    StatusOffline => "Offline – Änderungen bleiben auf diesem Gerät und werden später übertragen", "Offline – changes stay on this device and are sent later";
    StatusError => "Fehler bei der Verbindung", "Connection error";
    Present => "Im Dokument", "In this document";
    Editing => "bearbeitet", "editing";
    You => "du", "you";
    NotFound => "Nicht gefunden", "Not found";
    Back => "Zur Übersicht", "Back to the overview";
    Loading => "Lädt …", "Loading …";
    LoadFailed => "Konnte nicht geladen werden", "Could not be loaded";
    ReadOnly => "Nur lesen", "Read only";
    SignInIntro => "Melde dich an, um Konzepte zu lesen, zu kommentieren und mitzuschreiben.", "Sign in to read, comment on and co-write concepts.";
    SignInOidc => "Mit dem Parteikonto anmelden", "Sign in with your party account";
    DevSignIn => "Entwicklungs-Anmeldung", "Development sign-in";
    SignInFailed => "Die Anmeldung ist fehlgeschlagen. Bitte versuche es noch einmal.", "Signing in failed. Please try again.";
    SessionExpired => "Deine Sitzung ist abgelaufen. Bitte melde dich erneut an.", "Your session has expired. Please sign in again.";
    SignInUnavailable => "Die Anmeldung ist auf diesem Server nicht eingerichtet. Bitte wende dich an die Verwaltung.", "Signing in is not configured on this server. Please contact the administrators.";
    AlreadySignedIn => "Du bist bereits angemeldet.", "You are already signed in.";
    SignInRequired => "Bitte melde dich an.", "Please sign in.";
    Role => "Rolle", "Role";
    RoleMember => "Mitglied", "Member";
    RoleEditor => "Redaktion", "Editor";
    RoleAdmin => "Admin", "Admin";
    NoRole => "keine Rolle", "no role";
    MainNav => "Hauptnavigation", "Main navigation";
    MyAccount => "Mein Konto", "My account";
    Administration => "Verwaltung", "Administration";
    AuditLog => "Protokoll", "Audit log";
    Backup => "Sicherung", "Backup";
    BackupIntro => "Eine Datei mit allem, was diese Instanz enthält: Konzepte mit ihrem ganzen Verlauf, Kommentare, Entwürfe, Abstimmungen, Kennzahlen, Personen, Freigaben und das Protokoll – aufgenommen im laufenden Betrieb. Mit „kompromiss restore“ wird daraus eine leere Instanz wieder aufgebaut, auch auf PostgreSQL. Die Datei enthält personenbezogene Daten: so sicher aufbewahren wie die Datenbank. Der Schlüssel geheimer Abstimmungen ist nicht darin.", "One file holding everything of this instance: concepts with their full history, comments, drafts, ballots, metrics, people, grants and the audit log – taken while the server runs. \"kompromiss restore\" rebuilds an empty instance from it, on PostgreSQL too. The file holds personal data: keep it as safe as the database. The secret ballots' key is not in it.";
    BackupDownload => "Sicherung herunterladen", "Download a backup";
    Name => "Name", "Name";
    Groups => "Gruppen", "Groups";
    NoGroups => "keine", "none";
    AccountIntro => "Rolle und Gruppen stammen aus deiner Anmeldung.", "Role and groups come from your sign-in.";
    ApiTokens => "API-Tokens", "API tokens";
    ApiTokensIntro => "Mit einem API-Token greifen Programme in deinem Namen auf Kompromiss zu.", "An API token lets programs access Kompromiss on your behalf.";
    TokenName => "Bezeichnung", "Name";
    Created => "Erstellt", "Created";
    LastUsed => "Zuletzt benutzt", "Last used";
    Never => "nie", "never";
    Revoke => "Widerrufen", "Revoke";
    NoTokens => "Noch keine Tokens.", "No tokens yet.";
    CreateToken => "Token erstellen", "Create token";
    TokenCreated => "Token erstellt", "Token created";
    TokenSecretNote => "Nur jetzt sichtbar – kopiere es jetzt.", "Visible only now – copy it now.";
    TokenUseHeader => "Verwendung: im HTTP-Kopf", "Usage: in the HTTP header";
    TokenUseQuery => "oder am Sync-Endpunkt als Parameter", "or at the sync endpoint as a parameter";
    NoPermission => "Keine Berechtigung", "Not allowed";
    InvalidInput => "Ungültige Eingabe", "Invalid input";
    ActionFailed => "Das hat nicht geklappt. Bitte versuche es noch einmal.", "That did not work. Please try again.";
    Change => "Ändern", "Change";
    Remove => "Entfernen", "Remove";
    People => "Personen", "People";
    NoPeople => "Noch hat sich niemand angemeldet.", "Nobody has signed in yet.";
    Email => "E-Mail", "E-mail";
    Subject => "Kennung", "Subject";
    EffectiveRole => "Wirksame Rolle", "Effective role";
    Holdings => "Rollen und Herkunft", "Roles and why";
    ViaGroup => "über Gruppe", "via group";
    DirectGrant => "direkt vergeben", "granted directly";
    GrantedBy => "von", "by";
    FromConfigReason => "Konfiguration", "configuration";
    GrantRole => "Vergeben", "Grant";
    RevokeRole => "Entziehen", "Revoke";
    RoleMappings => "Rollen-Zuordnung", "Role mapping";
    RoleMappingsIntro => "Wer sich mit einer dieser Gruppen anmeldet, erhält die Rolle.", "Whoever signs in with one of these groups gets the role.";
    NoMappings => "Keine Zuordnungen.", "No mappings.";
    Group => "Gruppe", "Group";
    FromConfig => "aus Konfiguration", "from configuration";
    AddMapping => "Zuordnung hinzufügen", "Add mapping";
    Sharing => "Freigaben", "Sharing";
    SharingIntro => "Freigaben ergänzen, was die Rollen ohnehin erlauben: Mitglieder lesen und wirken an jedem Konzept mit, die Redaktion bearbeitet, Admins verwalten.", "Grants add to what roles already allow: members read and take part in every concept, editors edit, admins administer.";
    NoGrants => "Keine Freigaben – es gelten nur die Rollen.", "No grants – only roles apply.";
    GrantFor => "Für", "For";
    Kind => "Art", "Kind";
    KindPublic => "Alle, auch ohne Anmeldung (nur lesen)", "Everyone, even without signing in (read only)";
    KindUser => "Person", "Person";
    Level => "Stufe", "Level";
    LevelRead => "lesen", "read";
    LevelParticipate => "mitwirken (kommentieren, abstimmen)", "take part (comment, vote)";
    LevelEdit => "bearbeiten", "edit";
    LevelAdminister => "verwalten", "administer";
    AddGrant => "Freigabe hinzufügen", "Add grant";
    ToDocument => "Zum Konzept", "To the concept";
    Time => "Zeit", "Time";
    Actor => "Wer", "Who";
    Action => "Aktion", "Action";
    Target => "Ziel", "Target";
    Detail => "Details", "Details";
    AllActions => "alle", "all";
    Filter => "Filtern", "Filter";
    ClearFilter => "Filter zurücksetzen", "Clear filter";
    OlderEntries => "Ältere Einträge", "Older entries";
    NewestEntries => "Neueste Einträge", "Newest entries";
    NoEntries => "Keine Einträge.", "No entries.";
    AuditSignIn => "Anmeldung", "Sign-in";
    AuditSignInFailed => "Anmeldung fehlgeschlagen", "Sign-in failed";
    AuditSignOut => "Abmeldung", "Sign-out";
    AuditRoleGranted => "Rolle vergeben", "Role granted";
    AuditRoleRevoked => "Rolle entzogen", "Role revoked";
    AuditMappingChanged => "Rollen-Zuordnung geändert", "Role mapping changed";
    AuditGrantChanged => "Freigabe geändert", "Grant changed";
    AuditTokenCreated => "Token erstellt", "Token created";
    AuditTokenRevoked => "Token widerrufen", "Token revoked";
    AuditWriteRefused => "Schreibversuch abgelehnt", "Write refused";
    AuditActorForged => "Fremde Autor-Kennung abgelehnt", "Forged author id refused";
    AuditDocumentCreated => "Konzept angelegt", "Concept created";
    AuditCommentReported => "Kommentar gemeldet", "Comment reported";
    AuditCommentHidden => "Kommentar ausgeblendet", "Comment hidden";
    AuditCommentRestored => "Kommentar wieder eingeblendet", "Comment restored";
    AuditThreadLocked => "Diskussion gesperrt", "Thread locked";
    AuditThreadUnlocked => "Diskussion entsperrt", "Thread unlocked";
    AuditModeratorNamed => "Moderation benannt", "Moderator named";
    AuditModeratorRemoved => "Moderation entzogen", "Moderator removed";
    AuditDraftCreated => "Entwurf begonnen", "Draft started";
    AuditDraftWithdrawn => "Entwurf zurückgezogen", "Draft withdrawn";
    AuditDraftReopened => "Entwurf wieder geöffnet", "Draft reopened";
    AuditDraftMerged => "Entwurf übernommen", "Draft merged";
    AuditBallotOpened => "Abstimmung eröffnet", "Ballot opened";
    AuditBallotClosed => "Abstimmung geschlossen", "Ballot closed";
    AuditBallotMerged => "Beschluss übernommen", "Decision merged";
    AuditMetricsImported => "Kennzahlen importiert", "Metrics imported";
    AuditEvaluationFrozen => "Evaluation festgeschrieben", "Evaluation frozen";
    AuditBackupTaken => "Sicherung erstellt", "Backup taken";
    AuditBackupRestored => "Aus Sicherung wiederhergestellt", "Restored from a backup";
    AuditVersionNamed => "Fassung benannt", "Version named";
    AuditWordingRestored => "Frühere Fassung wiederhergestellt", "Earlier wording restored";
    ModeratorsHeading => "Moderation der Diskussion", "Moderating the discussion";
    ModeratorsHint => "Redaktion und Admins moderieren immer. Hier benannte Personen dürfen zusätzlich Meldungen bearbeiten, Kommentare ausblenden und Diskussionen sperren – sofern sie das Konzept lesen können.", "Editors and admins always moderate. People named here may also handle reports, hide comments and lock threads – as long as they can read the concept.";
    NoModerators => "Niemand zusätzlich benannt.", "Nobody else named.";
    NameModerator => "Als Moderation benennen", "Name as moderator";
    RemoveModerator => "Entfernen", "Remove";
    Person => "Person", "Person";
}

impl Key {
    /// The name of a role.
    pub fn role(role: Role) -> Key {
        match role {
            Role::Member => Key::RoleMember,
            Role::Editor => Key::RoleEditor,
            Role::Admin => Key::RoleAdmin,
        }
    }

    /// The name of a document level (`None` never shows up in a grant).
    pub fn level(level: Level) -> Key {
        match level {
            Level::None => Key::NoPermission,
            Level::Read => Key::LevelRead,
            Level::Participate => Key::LevelParticipate,
            Level::Edit => Key::LevelEdit,
            Level::Administer => Key::LevelAdminister,
        }
    }

    /// The name of an audit log action (every variant has one: the compiler checks).
    pub fn audit_action(action: AuditAction) -> Key {
        match action {
            AuditAction::SignIn => Key::AuditSignIn,
            AuditAction::SignInFailed => Key::AuditSignInFailed,
            AuditAction::SignOut => Key::AuditSignOut,
            AuditAction::RoleGranted => Key::AuditRoleGranted,
            AuditAction::RoleRevoked => Key::AuditRoleRevoked,
            AuditAction::MappingChanged => Key::AuditMappingChanged,
            AuditAction::GrantChanged => Key::AuditGrantChanged,
            AuditAction::TokenCreated => Key::AuditTokenCreated,
            AuditAction::TokenRevoked => Key::AuditTokenRevoked,
            AuditAction::WriteRefused => Key::AuditWriteRefused,
            AuditAction::ActorForged => Key::AuditActorForged,
            AuditAction::DocumentCreated => Key::AuditDocumentCreated,
            AuditAction::CommentReported => Key::AuditCommentReported,
            AuditAction::CommentHidden => Key::AuditCommentHidden,
            AuditAction::CommentRestored => Key::AuditCommentRestored,
            AuditAction::ThreadLocked => Key::AuditThreadLocked,
            AuditAction::ThreadUnlocked => Key::AuditThreadUnlocked,
            AuditAction::ModeratorNamed => Key::AuditModeratorNamed,
            AuditAction::ModeratorRemoved => Key::AuditModeratorRemoved,
            AuditAction::DraftCreated => Key::AuditDraftCreated,
            AuditAction::DraftWithdrawn => Key::AuditDraftWithdrawn,
            AuditAction::DraftReopened => Key::AuditDraftReopened,
            AuditAction::DraftMerged => Key::AuditDraftMerged,
            AuditAction::BallotOpened => Key::AuditBallotOpened,
            AuditAction::BallotClosed => Key::AuditBallotClosed,
            AuditAction::BallotMerged => Key::AuditBallotMerged,
            AuditAction::MetricsImported => Key::AuditMetricsImported,
            AuditAction::EvaluationFrozen => Key::AuditEvaluationFrozen,
            AuditAction::BackupTaken => Key::AuditBackupTaken,
            AuditAction::BackupRestored => Key::AuditBackupRestored,
            AuditAction::VersionNamed => Key::AuditVersionNamed,
            AuditAction::WordingRestored => Key::AuditWordingRestored,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_german_and_english_text() {
        for key in Key::ALL {
            let (de, en) = key.texts();
            assert!(!de.is_empty() && !en.is_empty(), "{key:?}");
        }
    }

    #[test]
    fn every_audit_action_has_its_own_name() {
        let names: std::collections::HashSet<&str> =
            AuditAction::ALL.iter().map(|a| Lang::De.t(Key::audit_action(*a))).collect();
        assert_eq!(names.len(), AuditAction::ALL.len(), "two actions share a label");
    }

    #[test]
    fn the_language_comes_from_the_cookie_and_defaults_to_german() {
        assert_eq!(Lang::from_cookie_header("a=b; lang=en"), Lang::En);
        assert_eq!(Lang::from_cookie_header("lang=fr"), Lang::De);
        assert_eq!(Lang::from_cookie_header(""), Lang::De);
    }
}
