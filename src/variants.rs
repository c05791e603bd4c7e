//! Per-student variants: the exercise with start points and hyperparameters drawn from the ranges of
//! its `[variants]` table, each with its own numeric options and key.
//!
//! For every computed question, the right option is the exact value rounded to four significant
//! digits; the distractors are plausible slips (the point one epoch early or late, a sign error, a
//! power of ten, swapped components), kept only when they differ from the right option at the printed
//! digits and lie far outside the tolerance, so that exactly one option is right. Every variant's key
//! is checked by computing it again. Variants are reproducible from the seed and pairwise distinct.
//!
//! Each draw (an attempt) takes its numbers from its own generator, seeded from the seed and the
//! attempt's index, so attempts are independent: they run in parallel (rayon), a chunk at a time,
//! and are then accepted in the order of their index, which gives the same variants on any number
//! of threads. Each variant comes with its [`Solution`], computed once, and variants are handed to
//! the caller chunk by chunk ([`generate_each`]), so a large count is never held in memory whole.

use crate::compare;
use crate::number::Num;
use crate::optim;
use crate::quiz::{self, Status};
use crate::solution::{self, Solution};
use crate::spec::{self, Choice, Exercise, QuestionKind, Text};
use crate::trace;
use rayon::prelude::*;
use std::collections::BTreeSet;

/// Significant digits of generated options.
pub const OPTION_DIGITS: u32 = 4;

/// Most variants one call makes.
pub const MAX_COUNT: usize = 100_000;

/// Why variants could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VariantError {
    /// The exercise has no `[variants]` table.
    #[error("{0}: no [variants] table: say which numbers vary and over what ranges")]
    NoRanges(String),
    /// The count is out of range.
    #[error("--count must be from 1 to {MAX_COUNT}, got {0}")]
    Count(usize),
    /// The ranges hold fewer distinct variants than asked for.
    #[error("the ranges of [variants] allow only {space} distinct variants, not {count}")]
    TooFew {
        /// Distinct variants possible.
        space: u128,
        /// Asked for.
        count: usize,
    },
    /// Too many draws failed (runs that break down, options that cannot be made clean).
    #[error("could not draw {0} distinct variants that all have a clean key")]
    Exhausted(usize),
}

/// One variant.
#[derive(Debug, Clone)]
pub struct Variant {
    /// 1-based.
    pub number: usize,
    /// The exercise, with its numbers drawn and its options and keys generated.
    pub exercise: Exercise,
}

/// SplitMix64: small, fast, and the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// The generator of attempt `index` under `seed`: SplitMix64's output function mixes both, so
    /// the attempts' streams are unrelated.
    fn attempt(seed: u64, index: u64) -> Rng {
        let mut inner = Rng(index);
        let mut outer = Rng(seed ^ inner.next());
        Rng(outer.next())
    }
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }
}

/// An option's text: each value with [`OPTION_DIGITS`] significant digits, trailing zeros kept.
fn option_text(values: &[Num]) -> String {
    let parts: Vec<String> = values
        .iter()
        .map(|v| {
            let e = v.round_sig(OPTION_DIGITS).exponent();
            if !v.is_zero() && (-3..4).contains(&e) {
                v.to_plain_fixed(OPTION_DIGITS)
            } else {
                v.to_sci_fixed(OPTION_DIGITS)
            }
        })
        .collect();
    parts.join(", ")
}

fn parsed(text: &str) -> Vec<(Num, u32)> {
    text.split(',')
        .filter_map(|p| Num::parse(p).ok().map(|n| (n, spec::printed_digits(p))))
        .collect()
}

fn shift(v: &Num, power: i32) -> Num {
    let p = Num::parse(&format!("1e{power}")).unwrap_or(Num::ONE);
    v.mul(&p).unwrap_or(*v)
}

/// A variant with its solution (runs, key, analyses), computed once.
#[derive(Debug, Clone)]
pub struct Solved {
    /// The variant.
    pub variant: Variant,
    /// Its solution, the same as `solution::solve(&variant.exercise)`.
    pub solution: Solution,
}

/// Generates `count` variants of `ex` from `seed`.
pub fn generate(ex: &Exercise, count: usize, seed: u64) -> Result<Vec<Variant>, VariantError> {
    let mut out = Vec::with_capacity(count);
    generate_each(ex, count, seed, |chunk| {
        out.extend(chunk.into_iter().map(|s| s.variant));
        Ok::<(), VariantError>(())
    })?;
    Ok(out)
}

/// A draw and, when it made a clean variant, the variant's exercise and solution (not numbered yet).
type Attempt = (Vec<u64>, Option<(Exercise, Solution)>);

/// Attempts run in parallel at a time, at most.
const CHUNK: usize = 64;

/// Generates `count` variants of `ex` from `seed` and hands them to `emit` in order, a chunk at a
/// time, each with its solution; the first error (of the generation or of `emit`) stops it.
pub fn generate_each<E: From<VariantError>>(
    ex: &Exercise,
    count: usize,
    seed: u64,
    mut emit: impl FnMut(Vec<Solved>) -> Result<(), E>,
) -> Result<(), E> {
    let ranges = ex
        .variants
        .as_ref()
        .ok_or_else(|| VariantError::NoRanges(ex.source.clone()))?;
    if count == 0 || count > MAX_COUNT {
        return Err(VariantError::Count(count).into());
    }
    let grids: Vec<&spec::Grid> = ranges
        .start
        .iter()
        .chain(ranges.params.iter().map(|p| &p.2))
        .collect();
    let space = grids
        .iter()
        .fold(1u128, |acc, g| acc.saturating_mul(u128::from(g.count)));
    if (count as u128) > space {
        return Err(VariantError::TooFew { space, count }.into());
    }
    let limit = (count * 50 + 1000) as u64;
    let draw_of =
        |rng: &mut Rng| -> Vec<u64> { grids.iter().map(|g| rng.below(g.count)).collect() };
    let mut seen = BTreeSet::new();
    let mut made = 0usize;
    let mut next = 0u64;
    while made < count {
        if next >= limit {
            return Err(VariantError::Exhausted(count).into());
        }
        // the next attempts whose draws are new (a few more than still needed: some fail)
        let need = count - made;
        let size = (need + need / 4 + 2).min(CHUNK);
        let mut attempts = Vec::with_capacity(size);
        while attempts.len() < size && next < limit {
            let draw = draw_of(&mut Rng::attempt(seed, next));
            if !seen.contains(&draw) {
                attempts.push(next);
            }
            next += 1;
        }
        let tried: Vec<Attempt> = attempts
            .par_iter()
            .map(|&a| {
                let mut rng = Rng::attempt(seed, a);
                let draw = draw_of(&mut rng);
                let mut v = ex.clone();
                v.variants = None;
                let mut it = draw.iter();
                for (i, g) in ranges.start.iter().enumerate() {
                    v.start[i] = g.value(*it.next().unwrap_or(&0));
                }
                for (pi, hi, g) in &ranges.params {
                    v.problems[*pi].params[*hi] = g.value(*it.next().unwrap_or(&0));
                }
                // a draw whose run breaks down or whose options cannot be made clean is skipped
                let solved = options_and_keys(&mut v, &mut rng).ok().map(|sol| (v, sol));
                (draw, solved)
            })
            .collect();
        let mut chunk = Vec::new();
        for (draw, solved) in tried {
            let Some((mut v, solution)) = solved else {
                continue;
            };
            if made == count || !seen.insert(draw) {
                continue;
            }
            made += 1;
            let number = made;
            v.source = format!("variant {number}");
            if let Some(t) = &ex.title {
                v.title = Some(match t {
                    Text::Plain(s) => Text::Plain(format!("{s} ({number})")),
                    Text::ByLang(m) => Text::ByLang(
                        m.iter()
                            .map(|(k, s)| (k.clone(), format!("{s} ({number})")))
                            .collect(),
                    ),
                });
            }
            chunk.push(Solved {
                variant: Variant {
                    number,
                    exercise: v,
                },
                solution,
            });
        }
        if !chunk.is_empty() {
            emit(chunk)?;
        }
    }
    Ok(())
}

/// A problem's points (after each epoch, the start first) in float64: enough for a distractor, which
/// is printed with four digits and needs no certified one. A point that is not finite ends the list.
/// The few components a question uses become decimals with [`components`].
fn plain_points(v: &Exercise, p: &spec::Problem, epochs: u64) -> Option<Vec<Vec<f64>>> {
    let mut points = trace::points::<f64>(v, p, epochs).ok()?;
    let finite = points
        .iter()
        .position(|pt| pt.iter().any(|x| !x.is_finite()))
        .unwrap_or(points.len());
    points.truncate(finite);
    Some(points)
}

/// The `components` of a float point, each as the exact decimal of its float.
fn components(pt: &[f64], components: &[usize]) -> Option<Vec<Num>> {
    components.iter().map(|&c| Num::from_f64(pt[c])).collect()
}

/// Draws the options of every computed question of `v` and sets its key; returns the solution of the
/// variant so made (its runs are computed once, before the options).
fn options_and_keys(v: &mut Exercise, rng: &mut Rng) -> Result<Solution, String> {
    let runs = solution::runs(v).map_err(|e| e.to_string())?;
    // each problem in the other forms of its optimizer, run once for all its questions
    let mut other_forms: Vec<Option<Vec<Vec<Vec<f64>>>>> = vec![None; v.problems.len()];
    for qi in 0..v.quiz.len() {
        let QuestionKind::Computed {
            problem,
            epoch,
            components,
            tolerance,
        } = v.quiz[qi].kind.clone()
        else {
            continue;
        };
        let run = &runs[problem];
        let at = |k: u64| -> Option<Vec<Num>> {
            let pt = if k == 0 {
                &run.trace.start
            } else {
                &run.trace.epochs.get(k as usize - 1)?.after
            };
            Some(components.iter().map(|&c| *pt[c].mid()).collect())
        };
        let balls: Vec<_> = run
            .trace
            .epochs
            .get((epoch as usize).wrapping_sub(1))
            .map(|e| components.iter().map(|&c| e.after[c]).collect())
            .ok_or("epoch out of range")?;
        // the key's digits must be certain
        if balls.iter().any(|b| b.rounded(OPTION_DIGITS).is_none()) {
            return Err("the exact value is not certain to the option's digits".into());
        }
        let exact = at(epoch).ok_or("epoch out of range")?;
        // a component exactly 0 reads the same in every slip: the options would collapse
        if exact.iter().any(Num::is_zero) {
            return Err("a component is exactly 0".into());
        }
        let later = match run.trace.epochs.get(epoch as usize) {
            Some(e) => Some(
                components
                    .iter()
                    .map(|&c| *e.after[c].mid())
                    .collect::<Vec<_>>(),
            ),
            None => plain_points(v, &v.problems[problem], epoch + 1)
                .and_then(|ps| self::components(ps.get(epoch as usize + 1)?, &components)),
        };
        let largest = (0..exact.len())
            .max_by(|&a, &b| exact[a].abs().cmp(&exact[b].abs()))
            .unwrap_or(0);
        let mut candidates: Vec<Vec<Num>> = Vec::new();
        // the same problem in another form of its optimizer: the slip a student most often makes
        let others = other_forms[problem].get_or_insert_with(|| {
            let p = &v.problems[problem];
            let n = run.trace.epochs.len() as u64;
            optim::forms(p.optimizer.id)
                .filter(|f| f.form != p.optimizer.form)
                .filter_map(|form| compare::in_form(p, form).ok())
                .filter_map(|other| plain_points(v, &other, n))
                .collect()
        });
        for pts in others.iter() {
            candidates.extend(
                pts.get(epoch as usize)
                    .and_then(|pt| self::components(pt, &components)),
            );
        }
        candidates.extend(at(epoch - 1));
        candidates.extend(later);
        candidates.push(
            exact
                .iter()
                .enumerate()
                .map(|(i, x)| if i == largest { x.neg() } else { *x })
                .collect(),
        );
        candidates.push(
            exact
                .iter()
                .enumerate()
                .map(|(i, x)| if i == 0 { shift(x, 1) } else { *x })
                .collect(),
        );
        if exact.len() > 1 {
            let mut sw = exact.clone();
            sw.swap(0, 1);
            candidates.push(sw);
        }
        candidates.push(exact.iter().map(|x| shift(x, -1)).collect());
        candidates.push(exact.iter().map(Num::neg).collect());
        for p in [2, -2, 3, -3] {
            candidates.push(exact.iter().map(|x| shift(x, p)).collect());
        }
        let right = option_text(&exact);
        let right_vals = parsed(&right);
        let tol = tolerance.to_f64();
        let mut texts = vec![right.clone()];
        for c in candidates {
            if texts.len() == 4 {
                break;
            }
            let t = option_text(&c);
            if texts.contains(&t) {
                continue;
            }
            let vals = parsed(&t);
            // far from the exact value in at least one component, so only one option is right
            let far = vals.iter().zip(&exact).any(|((o, _), e)| {
                let d = o.sub(e).ok().map(|d| {
                    if e.is_zero() {
                        d.abs()
                    } else {
                        d.div(e).map(|r| r.abs()).unwrap_or(d)
                    }
                });
                d.is_some_and(|d| d.to_f64() > 10.0 * tol)
            });
            if far && vals != right_vals {
                texts.push(t);
            }
        }
        if texts.len() < 4 {
            return Err("not enough distinct distractors".into());
        }
        let pos = rng.below(4) as usize;
        texts.swap(0, pos);
        v.quiz[qi].options = texts
            .into_iter()
            .map(|t| Choice {
                values: parsed(&t),
                text: Text::Plain(t),
            })
            .collect();
        v.quiz[qi].key = Some(pos);
    }
    // the key, computed again, must find exactly the generated answers
    let key = quiz::key(v, &runs);
    for (q, k) in v.quiz.iter().zip(&key) {
        if matches!(q.kind, QuestionKind::Computed { .. }) {
            let want = q.key.map(spec::option_letter);
            if k.status != Status::Exact || k.answer != want {
                return Err(format!(
                    "question {}: the key of the drawn options is '{}', not one exact answer",
                    q.number,
                    k.status.key()
                ));
            }
        }
    }
    Ok(solution::assemble(v, runs, key))
}
