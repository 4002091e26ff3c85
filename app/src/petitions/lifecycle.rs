//! The procedure of a citizens' petition as a state machine: which step may follow which,
//! who takes it, and whether the public sees it. Pure data and functions, so that the rules
//! are tested as a table and every server function asks the same question.
//!
//! ```text
//! draft ─request_cost_estimate→ cost_estimate_requested ─enter_cost_estimate→ cost_estimated
//!   │                                                                             │
//!   └───────────── approve_publication (states without a cost estimate) ──────────┤
//!                                                                                  ▼
//!                                collecting ─submit→ submitted ─admissible→ admissible
//!                                    │                  │                        │
//!                                 expire            inadmissible        council_adopts │ schedule_referendum
//!                                    ▼                  ▼                        ▼              ▼
//!                                 expired          inadmissible          council_adopted  referendum_scheduled
//!                                                                                               │ record_result
//!                                                                                               ▼
//!                                                                                            decided
//! ```
//! Initiators may withdraw at any point before the council's decision on admissibility. A
//! petition against a council decision also expires from `draft` or `cost_estimated` when
//! its deadline passes; not while the cost estimate is awaited, when the deadline pauses.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Draft,
    CostEstimateRequested,
    CostEstimated,
    Collecting,
    Submitted,
    Admissible,
    Inadmissible,
    CouncilAdopted,
    ReferendumScheduled,
    Decided,
    Expired,
    Withdrawn,
}

impl Stage {
    pub const ALL: [Stage; 12] = [
        Stage::Draft,
        Stage::CostEstimateRequested,
        Stage::CostEstimated,
        Stage::Collecting,
        Stage::Submitted,
        Stage::Admissible,
        Stage::Inadmissible,
        Stage::CouncilAdopted,
        Stage::ReferendumScheduled,
        Stage::Decided,
        Stage::Expired,
        Stage::Withdrawn,
    ];

    /// The code stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Draft => "draft",
            Stage::CostEstimateRequested => "cost_estimate_requested",
            Stage::CostEstimated => "cost_estimated",
            Stage::Collecting => "collecting",
            Stage::Submitted => "submitted",
            Stage::Admissible => "admissible",
            Stage::Inadmissible => "inadmissible",
            Stage::CouncilAdopted => "council_adopted",
            Stage::ReferendumScheduled => "referendum_scheduled",
            Stage::Decided => "decided",
            Stage::Expired => "expired",
            Stage::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(code: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| s.as_str() == code)
    }

    /// German label for lists and the timeline.
    pub fn label(self) -> &'static str {
        match self {
            Stage::Draft => "Entwurf",
            Stage::CostEstimateRequested => "Kostenschätzung angefragt",
            Stage::CostEstimated => "Kostenschätzung liegt vor",
            Stage::Collecting => "Unterschriftensammlung läuft",
            Stage::Submitted => "Eingereicht",
            Stage::Admissible => "Für zulässig erklärt",
            Stage::Inadmissible => "Für unzulässig erklärt",
            Stage::CouncilAdopted => "Vom Rat übernommen",
            Stage::ReferendumScheduled => "Bürgerentscheid angesetzt",
            Stage::Decided => "Bürgerentscheid durchgeführt",
            Stage::Expired => "Frist abgelaufen",
            Stage::Withdrawn => "Zurückgezogen",
        }
    }

    /// The label in the page's language (`label` stays German for the legal documents).
    pub fn title(self) -> String {
        crate::i18n::t(&format!("stage-{}", self.as_str().replace('_', "-")))
    }

    /// Whether the petition is visible to the public in this stage. Drafts and the cost
    /// estimate phase belong to the initiators and the administration. (A petition withdrawn
    /// before publication stays private: the service knows that from its publication date.)
    pub fn is_public(self) -> bool {
        !matches!(
            self,
            Stage::Draft | Stage::CostEstimateRequested | Stage::CostEstimated
        )
    }

    /// Whether signatures are accepted.
    pub fn accepts_signatures(self) -> bool {
        self == Stage::Collecting
    }

    /// Whether the procedure has ended.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            Stage::Inadmissible
                | Stage::CouncilAdopted
                | Stage::Decided
                | Stage::Expired
                | Stage::Withdrawn
        )
    }
}

/// A step of the procedure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    RequestCostEstimate,
    EnterCostEstimate,
    ApprovePublication,
    Submit,
    Expire,
    DeclareAdmissible,
    DeclareInadmissible,
    CouncilAdopts,
    ScheduleReferendum,
    RecordResult,
    Withdraw,
}

/// Who takes a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    /// One of the petition's representatives (initiators).
    Initiator,
    /// Council staff.
    Staff,
    /// The server itself (the deadline passed).
    System,
}

/// Why a step is refused; the texts are German and shown to the person who tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepError {
    /// The step does not follow from the current stage.
    NotNow,
    /// This actor may not take the step.
    NotYours,
    /// The state's law has no cost estimate by the administration.
    NoCostEstimateInThisState,
}

impl StepError {
    pub fn message(self) -> &'static str {
        match self {
            StepError::NotNow => {
                "Dieser Schritt ist im jetzigen Stand des Verfahrens nicht möglich."
            }
            StepError::NotYours => "Diesen Schritt dürfen Sie nicht ausführen.",
            StepError::NoCostEstimateInThisState => {
                "Nach dem Recht dieses Bundeslandes schätzt die Verwaltung die Kosten nicht."
            }
        }
    }
}

impl Step {
    /// Who may take this step.
    pub fn actor(self) -> Actor {
        match self {
            Step::RequestCostEstimate | Step::Submit | Step::Withdraw => Actor::Initiator,
            Step::Expire => Actor::System,
            _ => Actor::Staff,
        }
    }

    /// German wording for the timeline.
    pub fn label(self) -> &'static str {
        match self {
            Step::RequestCostEstimate => "Kostenschätzung bei der Verwaltung angefragt",
            Step::EnterCostEstimate => "Kostenschätzung der Verwaltung mitgeteilt",
            Step::ApprovePublication => "Veröffentlicht, Unterschriftensammlung begonnen",
            Step::Submit => "Unterschriften eingereicht",
            Step::Expire => "Frist ohne Einreichung abgelaufen",
            Step::DeclareAdmissible => "Rat hat das Bürgerbegehren für zulässig erklärt",
            Step::DeclareInadmissible => "Rat hat das Bürgerbegehren für unzulässig erklärt",
            Step::CouncilAdopts => "Rat hat dem Anliegen entsprochen",
            Step::ScheduleReferendum => "Bürgerentscheid angesetzt",
            Step::RecordResult => "Ergebnis des Bürgerentscheids festgestellt",
            Step::Withdraw => "Von den Vertretungsberechtigten zurückgezogen",
        }
    }

    /// The label in the page's language (`label` stays German for the legal documents).
    pub fn title(self) -> String {
        crate::i18n::t(&format!(
            "petition-step-{}",
            step_code(self).replace('_', "-")
        ))
    }
}

/// The stage after `step`, if `actor` may take it now. `cost_estimate` says whether the
/// state's law has the administration estimate the costs before collection (NRW).
/// The stable code of a step (the serde name), as stored and audited.
pub fn step_code(step: Step) -> &'static str {
    match step {
        Step::RequestCostEstimate => "request_cost_estimate",
        Step::EnterCostEstimate => "enter_cost_estimate",
        Step::ApprovePublication => "approve_publication",
        Step::Submit => "submit",
        Step::Expire => "expire",
        Step::DeclareAdmissible => "declare_admissible",
        Step::DeclareInadmissible => "declare_inadmissible",
        Step::CouncilAdopts => "council_adopts",
        Step::ScheduleReferendum => "schedule_referendum",
        Step::RecordResult => "record_result",
        Step::Withdraw => "withdraw",
    }
}

pub fn parse_step_code(code: &str) -> Option<Step> {
    [
        Step::RequestCostEstimate,
        Step::EnterCostEstimate,
        Step::ApprovePublication,
        Step::Submit,
        Step::Expire,
        Step::DeclareAdmissible,
        Step::DeclareInadmissible,
        Step::CouncilAdopts,
        Step::ScheduleReferendum,
        Step::RecordResult,
        Step::Withdraw,
    ]
    .into_iter()
    .find(|s| step_code(*s) == code)
}

pub fn next(
    stage: Stage,
    step: Step,
    actor: Actor,
    cost_estimate: bool,
) -> Result<Stage, StepError> {
    use Stage as S;
    use Step as T;
    if step.actor() != actor {
        return Err(StepError::NotYours);
    }
    if !cost_estimate && matches!(step, T::RequestCostEstimate | T::EnterCostEstimate) {
        return Err(StepError::NoCostEstimateInThisState);
    }
    let to = match (stage, step) {
        (S::Draft, T::RequestCostEstimate) => S::CostEstimateRequested,
        (S::CostEstimateRequested, T::EnterCostEstimate) => S::CostEstimated,
        // Where the law demands a cost estimate, publication waits for it.
        (S::CostEstimated, T::ApprovePublication) => S::Collecting,
        (S::Draft, T::ApprovePublication) if !cost_estimate => S::Collecting,
        (S::Collecting, T::Submit) => S::Submitted,
        // The deadline against a council decision runs from the notice, also while the
        // initiators are still preparing (it pauses only while the cost estimate is awaited).
        (S::Draft | S::CostEstimated | S::Collecting, T::Expire) => S::Expired,
        (S::Submitted, T::DeclareAdmissible) => S::Admissible,
        (S::Submitted, T::DeclareInadmissible) => S::Inadmissible,
        (S::Admissible, T::CouncilAdopts) => S::CouncilAdopted,
        (S::Admissible, T::ScheduleReferendum) => S::ReferendumScheduled,
        (S::ReferendumScheduled, T::RecordResult) => S::Decided,
        (
            S::Draft | S::CostEstimateRequested | S::CostEstimated | S::Collecting | S::Submitted,
            T::Withdraw,
        ) => S::Withdrawn,
        _ => return Err(StepError::NotNow),
    };
    Ok(to)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Actor::*;
    use Stage as S;
    use Step as T;

    #[test]
    fn the_nrw_procedure_runs_from_draft_to_referendum() {
        let path = [
            (T::RequestCostEstimate, Initiator, S::CostEstimateRequested),
            (T::EnterCostEstimate, Staff, S::CostEstimated),
            (T::ApprovePublication, Staff, S::Collecting),
            (T::Submit, Initiator, S::Submitted),
            (T::DeclareAdmissible, Staff, S::Admissible),
            (T::ScheduleReferendum, Staff, S::ReferendumScheduled),
            (T::RecordResult, Staff, S::Decided),
        ];
        let mut stage = S::Draft;
        for (step, actor, expected) in path {
            stage = next(stage, step, actor, true).unwrap();
            assert_eq!(stage, expected, "{step:?}");
        }
        assert!(stage.is_final());
    }

    #[test]
    fn refused_steps() {
        // (stage, step, actor, cost estimate by law, error)
        let cases = [
            // Publication waits for the cost estimate where the law asks for one.
            (
                S::Draft,
                T::ApprovePublication,
                Staff,
                true,
                StepError::NotNow,
            ),
            (
                S::CostEstimateRequested,
                T::ApprovePublication,
                Staff,
                true,
                StepError::NotNow,
            ),
            // Only staff enter estimates and publish; only initiators submit and withdraw.
            (
                S::CostEstimateRequested,
                T::EnterCostEstimate,
                Initiator,
                true,
                StepError::NotYours,
            ),
            (
                S::CostEstimated,
                T::ApprovePublication,
                Initiator,
                true,
                StepError::NotYours,
            ),
            (S::Collecting, T::Submit, Staff, true, StepError::NotYours),
            (S::Collecting, T::Withdraw, Staff, true, StepError::NotYours),
            (S::Collecting, T::Expire, Staff, true, StepError::NotYours),
            // Bavaria and Baden-Württemberg have no cost estimate by the administration.
            (
                S::Draft,
                T::RequestCostEstimate,
                Initiator,
                false,
                StepError::NoCostEstimateInThisState,
            ),
            // No going back, no skipping.
            (S::Submitted, T::Submit, Initiator, true, StepError::NotNow),
            (
                S::Collecting,
                T::DeclareAdmissible,
                Staff,
                true,
                StepError::NotNow,
            ),
            (
                S::Submitted,
                T::ScheduleReferendum,
                Staff,
                true,
                StepError::NotNow,
            ),
            (
                S::Inadmissible,
                T::ScheduleReferendum,
                Staff,
                true,
                StepError::NotNow,
            ),
            (S::Decided, T::RecordResult, Staff, true, StepError::NotNow),
            // After the council's decision the initiators can no longer withdraw.
            (
                S::Admissible,
                T::Withdraw,
                Initiator,
                true,
                StepError::NotNow,
            ),
            (
                S::Withdrawn,
                T::Withdraw,
                Initiator,
                true,
                StepError::NotNow,
            ),
        ];
        for (stage, step, actor, cost, error) in cases {
            assert_eq!(
                next(stage, step, actor, cost),
                Err(error),
                "{stage:?} {step:?} {actor:?}"
            );
        }
    }

    #[test]
    fn without_cost_estimate_staff_publish_the_draft_directly() {
        assert_eq!(
            next(S::Draft, T::ApprovePublication, Staff, false),
            Ok(S::Collecting)
        );
        assert_eq!(
            next(S::Collecting, T::Expire, System, false),
            Ok(S::Expired)
        );
        assert_eq!(next(S::Draft, T::Expire, System, true), Ok(S::Expired));
        assert_eq!(
            next(S::CostEstimated, T::Expire, System, true),
            Ok(S::Expired)
        );
        assert_eq!(
            next(S::CostEstimateRequested, T::Expire, System, true),
            Err(StepError::NotNow)
        );
        assert_eq!(
            next(S::Admissible, T::CouncilAdopts, Staff, false),
            Ok(S::CouncilAdopted)
        );
    }

    #[test]
    fn stages_have_stable_codes_and_visibility() {
        for stage in Stage::ALL {
            assert_eq!(Stage::parse(stage.as_str()), Some(stage));
        }
        assert_eq!(Stage::parse("published"), None);
        let private: Vec<_> = Stage::ALL.into_iter().filter(|s| !s.is_public()).collect();
        assert_eq!(
            private,
            [S::Draft, S::CostEstimateRequested, S::CostEstimated]
        );
        let signing: Vec<_> = Stage::ALL
            .into_iter()
            .filter(|s| s.accepts_signatures())
            .collect();
        assert_eq!(signing, [S::Collecting]);
    }
}
