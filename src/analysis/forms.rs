//! Problems of one exercise that run the same optimizer in different forms: where each parts from the
//! first of them. Read from the runs the exercise already made; nothing is run again.

use crate::spec::Exercise;
use crate::trace::Run;

/// Problems running one optimizer in two or more forms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormGroup {
    /// The optimizer's id.
    pub optimizer: &'static str,
    /// The problems (indexes), in exercise order, each with the first epoch where its point differs
    /// from the first problem's (`None` for the first, and for a problem that never differs within
    /// the epochs both ran).
    pub members: Vec<(usize, Option<u64>)>,
    /// Whether every hyperparameter two members share has one value in all of them (else a
    /// difference is not the forms' alone).
    pub same_hyperparameters: bool,
}

/// Every optimizer that two or more problems run in different forms, in order of first appearance.
pub fn groups(ex: &Exercise, runs: &[Run]) -> Vec<FormGroup> {
    let mut out: Vec<FormGroup> = Vec::new();
    for (i, p) in ex.problems.iter().enumerate() {
        if out.iter().any(|g| g.optimizer == p.optimizer.id) {
            continue;
        }
        let members: Vec<usize> = (i..ex.problems.len())
            .filter(|&j| ex.problems[j].optimizer.id == p.optimizer.id)
            .collect();
        let distinct =
            members
                .iter()
                .map(|&j| ex.problems[j].optimizer.form)
                .fold(Vec::new(), |mut v, f| {
                    if !v.contains(&f) {
                        v.push(f);
                    }
                    v
                });
        if distinct.len() < 2 {
            continue;
        }
        let first = &runs[i].trace;
        let members: Vec<(usize, Option<u64>)> = members
            .into_iter()
            .map(|j| {
                let parts = (j != i)
                    .then(|| {
                        runs[j]
                            .trace
                            .epochs
                            .iter()
                            .zip(&first.epochs)
                            .find(|(a, b)| {
                                a.after
                                    .iter()
                                    .map(|x| x.mid())
                                    .ne(b.after.iter().map(|x| x.mid()))
                            })
                            .map(|(a, _)| a.epoch)
                    })
                    .flatten();
                (j, parts)
            })
            .collect();
        let same_hyperparameters = members.iter().all(|&(j, _)| {
            runs[j].trace.hyperparameters.iter().all(|h| {
                members.iter().all(|&(k, _)| {
                    runs[k]
                        .trace
                        .hyperparameters
                        .iter()
                        .find(|o| o.name == h.name)
                        .is_none_or(|o| o.value == h.value)
                })
            })
        });
        out.push(FormGroup {
            optimizer: p.optimizer.id,
            members,
            same_hyperparameters,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{spec, trace};

    #[test]
    fn groups_only_optimizers_in_several_forms() {
        let src = "objective = \"0.1*w1^2 + 2*w2^2\"\nstart = [-5, -2]\ntabulated_epochs = 3\n\
            [[problem]]\nid = \"a\"\noptimizer = \"momentum\"\nparams = { lr = 0.6, beta = 0.5 }\n\
            [[problem]]\nid = \"g\"\noptimizer = \"gd\"\nparams = { lr = 0.4 }\n\
            [[problem]]\nid = \"b\"\noptimizer = \"momentum\"\nconvention = \"pytorch\"\nparams = { lr = 0.6, beta = 0.5 }\n\
            [[problem]]\nid = \"h\"\noptimizer = \"gd\"\nparams = { lr = 0.1 }\n";
        let ex = spec::load("g.toml", src).unwrap();
        let runs: Vec<Run> = ex
            .problems
            .iter()
            .map(|p| trace::run_all(&ex, p, 3).unwrap())
            .collect();
        let g = groups(&ex, &runs);
        // gd twice in one form is no comparison of forms
        assert_eq!(
            g,
            vec![FormGroup {
                optimizer: "momentum",
                members: vec![(0, None), (2, Some(1))],
                same_hyperparameters: true,
            }]
        );
        // the same forms with another learning rate: the difference is not the forms' alone
        let ex = spec::load(
            "h.toml",
            &src.replace(
                "lr = 0.6, beta = 0.5 }\n[[problem]]\nid = \"g\"",
                "lr = 0.5, beta = 0.5 }\n[[problem]]\nid = \"g\"",
            ),
        )
        .unwrap();
        let runs: Vec<Run> = ex
            .problems
            .iter()
            .map(|p| trace::run_all(&ex, p, 3).unwrap())
            .collect();
        assert_eq!(
            ex.problems[0].param("lr"),
            Some(crate::number::Num::parse("0.5").unwrap())
        );
        assert!(!groups(&ex, &runs)[0].same_hyperparameters);
    }
}
