//! Regression floors for CI: the minimum true-positive rate of "ours" per transform and the maximum
//! number of its false matches. The in-the-clear baselines have no floors (they measure the
//! libraries, not hashscreen).

use crate::report::Report;
use crate::transforms::Transform;
use crate::EvalError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A floors file (JSON).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Floors {
    /// Free text: where the numbers come from.
    #[serde(default)]
    pub comment: String,
    /// Per transform name: the minimum true-positive rate of ours.
    pub min_tpr: BTreeMap<String, f64>,
    /// The minimum mean true-positive rate of ours over the 26 transforms.
    #[serde(default)]
    pub min_mean_tpr: Option<f64>,
    /// The maximum number of false matches of ours over all negative trials.
    pub max_false_matches: usize,
}

/// Slack for floating-point noise in rates (results are deterministic otherwise).
const EPS: f64 = 1e-9;

impl Floors {
    /// Parses a floors file.
    ///
    /// # Errors
    /// [`EvalError::Json`] for malformed JSON or unknown fields, [`EvalError::UnknownTransform`]
    /// for a transform name that is not one of the 26.
    pub fn from_json(path: &std::path::Path, text: &str) -> Result<Floors, EvalError> {
        let floors: Floors = serde_json::from_str(text).map_err(|e| EvalError::Json {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
        for name in floors.min_tpr.keys() {
            if Transform::from_name(name).is_none() {
                return Err(EvalError::UnknownTransform { name: name.clone() });
            }
        }
        Ok(floors)
    }

    /// Floors from a measured report: each rate minus `margin` (rounded down to 3 decimals, not
    /// below 0), false matches as measured.
    pub fn from_report(report: &Report, margin: f64, comment: String) -> Floors {
        let floor = |v: f64| ((v - margin) * 1000.0).floor().max(0.0) / 1000.0;
        Floors {
            comment,
            min_tpr: report
                .transforms
                .iter()
                .map(|r| (r.transform.clone(), floor(r.tpr.ours)))
                .collect(),
            min_mean_tpr: Some(floor(report.mean_tpr.ours)),
            max_false_matches: report.false_matches.ours,
        }
    }

    /// Every floor the report breaks, as a sentence; empty when all hold.
    pub fn check(&self, report: &Report) -> Vec<String> {
        let mut broken = Vec::new();
        for (name, min) in &self.min_tpr {
            match report.transforms.iter().find(|r| &r.transform == name) {
                Some(r) if r.tpr.ours + EPS < *min => broken.push(format!(
                    "{name}: true-positive rate of ours {:.3} is below the floor {min:.3}",
                    r.tpr.ours
                )),
                Some(_) => {}
                None => broken.push(format!("{name}: no trials in the report")),
            }
        }
        if let Some(min) = self.min_mean_tpr {
            if report.mean_tpr.ours + EPS < min {
                broken.push(format!(
                    "mean true-positive rate of ours {:.3} is below the floor {min:.3}",
                    report.mean_tpr.ours
                ));
            }
        }
        if report.false_matches.ours > self.max_false_matches {
            broken.push(format!(
                "false matches of ours: {} over {} negative trials, more than the allowed {}",
                report.false_matches.ours, report.corpus.negative_trials, self.max_false_matches
            ));
        }
        broken
    }
}
