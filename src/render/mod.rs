//! Rendering: view structs into Markdown, LaTeX and HTML answer sheets through Tera templates.
//!
//! Templates live in `templates/` and are compiled into the binary; a folder given with `--templates`
//! overrides them file by file (`sheet.md`, `sheet.tex`, `page.html`, `i18n/<lang>.toml`). Each format
//! has its own Tera instance with its own escape function, so user text (titles) is escaped for the
//! format it lands in. LaTeX templates use `<< >>`, `<% %>` and `<# #>` as delimiters, since `{{`, `{%`
//! and `{#` occur in LaTeX itself. HTML is made from the Markdown (one parser, math to MathML).

pub mod catalog;
pub mod code;
pub mod escape;
pub mod export;
pub mod html;
mod limits;
pub mod plot;
pub mod tikz;
pub mod verdict;
pub mod view;

use crate::figure;
use crate::solution::Solution;
use crate::spec::Exercise;
use crate::trace::Trace;
use catalog::Catalog;
use std::path::{Path, PathBuf};
use tera::{Context, Delimiters, Tera};

/// Why a sheet could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RenderError {
    /// The templates folder is not usable.
    #[error("{0}: not a folder of templates")]
    NotAFolder(String),
    /// A template or catalog file could not be read.
    #[error("{path}: cannot read: {reason}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        reason: String,
    },
    /// A template is wrong (syntax, or a value it names).
    #[error("{origin}: {message}")]
    Template {
        /// The template's file.
        origin: String,
        /// Tera's message, on one line.
        message: String,
    },
    /// A language catalog is wrong.
    #[error("{0}")]
    Catalog(String),
    /// A formula could not be converted to MathML.
    #[error("{0}")]
    Math(String),
    /// A figure could not be drawn.
    #[error("figure {0}")]
    Figure(String),
    /// The engine could not evaluate what a sheet states.
    #[error("{0}")]
    Engine(String),
}

/// An output format of `stepwise solve`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Markdown with `$` math (GitHub, Jupyter).
    Markdown,
    /// A complete LaTeX document (XeLaTeX).
    Latex,
    /// One self-contained HTML page with MathML.
    Html,
}

impl Format {
    /// Every format.
    pub const ALL: [Format; 3] = [Format::Markdown, Format::Latex, Format::Html];

    /// The file extension.
    pub fn ext(&self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Latex => "tex",
            Format::Html => "html",
        }
    }
}

/// A template, with its compiled-in text.
const TEMPLATES: &[(&str, &str)] = &[
    ("sheet.md", include_str!("../../templates/sheet.md")),
    ("sheet.tex", include_str!("../../templates/sheet.tex")),
    ("page.html", include_str!("../../templates/page.html")),
    ("code.py", include_str!("../../templates/code.py")),
    ("vanishing.py", include_str!("../../templates/vanishing.py")),
    ("statement.md", include_str!("../../templates/statement.md")),
    (
        "statement.tex",
        include_str!("../../templates/statement.tex"),
    ),
];

/// Where templates come from: compiled in, or a folder that overrides them file by file.
#[derive(Debug, Clone, Default)]
pub struct Templates {
    dir: Option<PathBuf>,
}

impl Templates {
    /// The compiled-in templates, overridden by the files of `dir` when given.
    pub fn new(dir: Option<&Path>) -> Result<Templates, RenderError> {
        if let Some(d) = dir {
            if !d.is_dir() {
                return Err(RenderError::NotAFolder(d.display().to_string()));
            }
        }
        Ok(Templates {
            dir: dir.map(Path::to_path_buf),
        })
    }

    fn source(&self, name: &str) -> Result<(String, String), RenderError> {
        if let Some(d) = &self.dir {
            let p = d.join(name);
            if p.is_file() {
                let text = std::fs::read_to_string(&p).map_err(|e| RenderError::Read {
                    path: p.display().to_string(),
                    reason: e.to_string(),
                })?;
                let origin = p.display().to_string();
                limits::check_template(&origin, &text)?;
                return Ok((origin, text));
            }
        }
        TEMPLATES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(n, t)| (format!("templates/{n}"), t.to_string()))
            .ok_or_else(|| RenderError::Template {
                origin: name.to_string(),
                message: "no such template".to_string(),
            })
    }

    /// The catalog of `lang`.
    pub fn catalog(&self, lang: &str) -> Result<Catalog, RenderError> {
        let name = format!("i18n/{lang}.toml");
        if let Some(d) = &self.dir {
            let p = d.join(&name);
            if p.is_file() {
                let text = std::fs::read_to_string(&p).map_err(|e| RenderError::Read {
                    path: p.display().to_string(),
                    reason: e.to_string(),
                })?;
                let name = p.display().to_string();
                let cat = Catalog::parse(lang, &name, &text).map_err(RenderError::Catalog)?;
                // an overriding catalog must say everything the built-in one says
                let builtin = Catalog::builtin(lang).map_err(RenderError::Catalog)?;
                if let Some(k) = builtin.texts().keys().find(|k| !cat.has_text(k)) {
                    return Err(RenderError::Catalog(format!(
                        "{name}: missing text '{k}' in [text]"
                    )));
                }
                return Ok(cat);
            }
        }
        Catalog::builtin(lang).map_err(RenderError::Catalog)
    }

    /// A Tera instance for `format` holding template `name`.
    fn tera(&self, format: Format, name: &str) -> Result<Tera, RenderError> {
        let mut tera = bounded_tera();
        match format {
            Format::Markdown => {
                tera.set_escape_fn(escape::markdown);
                tera.autoescape_on([".md"]);
            }
            Format::Latex => {
                tera.set_delimiters(Delimiters {
                    block_start: "<%".into(),
                    block_end: "%>".into(),
                    variable_start: "<<".into(),
                    variable_end: ">>".into(),
                    comment_start: "<#".into(),
                    comment_end: "#>".into(),
                })
                .map_err(|e| RenderError::Template {
                    origin: name.into(),
                    message: one_line(&e),
                })?;
                tera.set_escape_fn(escape::latex);
                tera.autoescape_on([".tex"]);
            }
            Format::Html => {
                tera.set_escape_fn(escape::html);
                tera.autoescape_on([".html"]);
            }
        }
        let (origin, text) = self.source(name)?;
        tera.add_raw_template(name, &text)
            .map_err(|e| RenderError::Template {
                origin,
                message: one_line(&e),
            })?;
        Ok(tera)
    }
}

/// A Tera instance whose `range` is bounded (see [`limits`]).
fn bounded_tera() -> Tera {
    let mut tera = Tera::new();
    tera.register_function("range", limits::range);
    tera
}

/// Renders `name` into a buffer that refuses to grow past [`limits::MAX_OUTPUT`]: a template whose
/// loops would write more ends with a template error, not with memory exhausted.
fn render_bounded(tera: &Tera, name: &str, ctx: &Context) -> Result<String, tera::Error> {
    let mut out = limits::Capped::default();
    tera.render_to(name, ctx, &mut out)?;
    Ok(out.into_string())
}

/// The slot of a compiled template in a [`Renderer`].
const COMPILED: [&str; 7] = [
    "sheet.md",
    "sheet.tex",
    "page.html",
    "statement.md",
    "statement.tex",
    "code.py",
    "vanishing.py",
];

/// Templates compiled once and catalogs parsed once, for rendering many sheets (the variants of an
/// exercise, one sheet in several formats). Each template is compiled, and each catalog read, the
/// first time it is used; a `Renderer` may be shared between threads.
pub struct Renderer {
    templates: Templates,
    compiled: [std::sync::OnceLock<Result<(String, Tera), RenderError>>; COMPILED.len()],
    catalogs: Vec<std::sync::OnceLock<Result<Catalog, RenderError>>>,
}

impl Renderer {
    /// A renderer over `templates`.
    pub fn new(templates: Templates) -> Renderer {
        Renderer {
            templates,
            compiled: Default::default(),
            catalogs: catalog::LANGS
                .iter()
                .map(|_| std::sync::OnceLock::new())
                .collect(),
        }
    }

    /// The catalog of `lang`, read once.
    pub fn catalog(&self, lang: &str) -> Result<&Catalog, RenderError> {
        let Some(i) = catalog::LANGS.iter().position(|l| *l == lang) else {
            return Err(self
                .templates
                .catalog(lang)
                .err()
                .unwrap_or_else(|| RenderError::Catalog(format!("unknown language '{lang}'"))));
        };
        self.catalogs[i]
            .get_or_init(|| self.templates.catalog(lang))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Template `name` compiled for `format` (Python templates: no escaping), once, with the name
    /// its render errors give.
    fn compiled(&self, format: Option<Format>, name: &str) -> Result<&(String, Tera), RenderError> {
        let Some(i) = COMPILED.iter().position(|n| *n == name) else {
            return Err(RenderError::Template {
                origin: name.to_string(),
                message: "no such template".to_string(),
            });
        };
        self.compiled[i]
            .get_or_init(|| match format {
                Some(f) => self.templates.tera(f, name).map(|t| (name.to_string(), t)),
                None => {
                    let (origin, text) = self.templates.source(name)?;
                    let mut tera = bounded_tera();
                    tera.autoescape_on(Vec::<&str>::new());
                    tera.add_raw_template(name, &text)
                        .map_err(|e| RenderError::Template {
                            origin: origin.clone(),
                            message: one_line(&e),
                        })?;
                    Ok((origin, tera))
                }
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Renders the Python template `name` with `view`, without escaping, trailing spaces trimmed.
    fn python(&self, name: &str, view: &impl serde::Serialize) -> Result<String, RenderError> {
        let (origin, tera) = self.compiled(None, name)?;
        let err = |e: &dyn std::error::Error| RenderError::Template {
            origin: origin.clone(),
            message: one_line(e),
        };
        let ctx = Context::from_serialize(view).map_err(|e| err(&e))?;
        let out = render_bounded(tera, name, &ctx).map_err(|e| err(&e))?;
        let lines: Vec<&str> = out.lines().map(str::trim_end).collect();
        Ok(lines.join("\n").trim().to_string() + "\n")
    }

    /// The NumPy code of problem number `index` (0-based), whose trace (of any length) is `trace`.
    pub fn code(
        &self,
        ex: &Exercise,
        index: usize,
        trace: &Trace,
        lang: &str,
        dtype: code::Dtype,
    ) -> Result<String, RenderError> {
        let cat = self.catalog(lang)?;
        let p = ex
            .problems
            .get(index)
            .ok_or_else(|| RenderError::Template {
                origin: "code.py".into(),
                message: format!("no problem number {}", index + 1),
            })?;
        let view = code::view(ex, index + 1, p, trace, cat, dtype);
        self.python("code.py", &view)
    }

    /// Every problem's float32 NumPy code in `lang`, in order.
    pub fn codes(
        &self,
        ex: &Exercise,
        solution: &Solution,
        lang: &str,
    ) -> Result<Vec<String>, RenderError> {
        (0..ex.problems.len())
            .map(|i| self.code(ex, i, &solution.runs[i].trace, lang, code::Dtype::F32))
            .collect()
    }

    /// One sheet in one language and format. `code` is [`Renderer::codes`] in `lang`; without
    /// `drawings` the sheet has no figure; with `section`, it has exercise 5's section (its
    /// results, or how to make them).
    #[allow(clippy::too_many_arguments)]
    pub fn sheet(
        &self,
        ex: &Exercise,
        solution: &Solution,
        drawings: Option<&Drawings>,
        section: Option<&crate::vanishing::report::Section>,
        code: &[String],
        lang: &str,
        format: Format,
        digits: u32,
    ) -> Result<String, RenderError> {
        let worked = view::worked(ex, solution, digits);
        let mut out = self.sheets(
            ex,
            solution,
            drawings,
            section,
            code,
            lang,
            &[format],
            digits,
            &worked,
        )?;
        out.pop().ok_or_else(|| RenderError::Template {
            origin: "view".into(),
            message: "no format".into(),
        })
    }

    /// The sheets of one language in each of `formats`, in order, from one view: the Markdown
    /// sheet and the LaTeX one are rendered side by side, and the HTML page is made from the
    /// Markdown sheet. Arguments as in [`Renderer::sheet`]; `worked` is [`view::worked`] with the
    /// same `digits`, derived once for every language.
    #[allow(clippy::too_many_arguments)]
    pub fn sheets(
        &self,
        ex: &Exercise,
        solution: &Solution,
        drawings: Option<&Drawings>,
        section: Option<&crate::vanishing::report::Section>,
        code: &[String],
        lang: &str,
        formats: &[Format],
        digits: u32,
        worked: &view::Worked,
    ) -> Result<Vec<String>, RenderError> {
        let cat = self.catalog(lang)?;
        let mut view = view::sheet_with(ex, solution, code, cat, digits, worked);
        if let Some(d) = drawings {
            let (per_problem, shared) =
                view::figure::views(ex, &d.data, &d.problems, &d.shared, cat);
            for (p, f) in view.problems.iter_mut().zip(per_problem) {
                p.figure = Some(f);
            }
            view.figures = Some(shared);
        }
        if let Some(section) = section {
            let figures = drawings
                .and_then(|d| d.vanishing.as_ref())
                .map_or_else(Vec::new, |v| {
                    view::figure::vanishing_views(&v.optimizers, v.layers, &v.drawn, cat)
                });
            view.vanishing = Some(view::vanishing::view(
                section,
                figures,
                ex.problems.len() + 1,
                cat,
            ));
        }
        let ctx = Context::from_serialize(&view).map_err(|e| RenderError::Template {
            origin: "view".into(),
            message: one_line(&e),
        })?;
        let template = |format: Format, name: &str| -> Result<String, RenderError> {
            let (_, tera) = self.compiled(Some(format), name)?;
            let out = render_bounded(tera, name, &ctx).map_err(|e| RenderError::Template {
                origin: name.into(),
                message: one_line(&e),
            })?;
            Ok(tidy(&out))
        };
        let wants = |f: Format| formats.contains(&f);
        let (md, tex) = rayon::join(
            || {
                (wants(Format::Markdown) || wants(Format::Html))
                    .then(|| template(Format::Markdown, "sheet.md"))
                    .transpose()
            },
            || {
                wants(Format::Latex)
                    .then(|| template(Format::Latex, "sheet.tex"))
                    .transpose()
            },
        );
        let (md, tex) = (md?, tex?);
        let html = match (&md, wants(Format::Html)) {
            (Some(md), true) => {
                let svgs: std::collections::BTreeMap<String, String> = drawings
                    .map(|d| d.files(ex).into_iter().collect())
                    .unwrap_or_default();
                let body = html::to_html_with(md, &svgs).map_err(RenderError::Math)?;
                let mut ctx = ctx;
                ctx.insert("body", &body);
                let (_, tera) = self.compiled(Some(Format::Html), "page.html")?;
                let out =
                    render_bounded(tera, "page.html", &ctx).map_err(|e| RenderError::Template {
                        origin: "page.html".into(),
                        message: one_line(&e),
                    })?;
                Some(tidy(&out))
            }
            _ => None,
        };
        formats
            .iter()
            .map(|f| {
                match f {
                    Format::Markdown => md.clone(),
                    Format::Latex => tex.clone(),
                    Format::Html => html.clone(),
                }
                .ok_or_else(|| RenderError::Template {
                    origin: "view".into(),
                    message: "no sheet".into(),
                })
            })
            .collect()
    }

    /// The statement sheet (no answer: built from the exercise alone) in one language and format.
    pub fn statement(
        &self,
        ex: &Exercise,
        lang: &str,
        format: Format,
    ) -> Result<String, RenderError> {
        let cat = self.catalog(lang)?;
        let view =
            view::statement::statement(ex, cat).map_err(|e| RenderError::Engine(e.to_string()))?;
        let ctx = Context::from_serialize(&view).map_err(|e| RenderError::Template {
            origin: "view".into(),
            message: one_line(&e),
        })?;
        let (name, ctx) = match format {
            Format::Markdown => ("statement.md", ctx),
            Format::Latex => ("statement.tex", ctx),
            Format::Html => {
                let md = self.statement(ex, lang, Format::Markdown)?;
                let mut ctx = ctx;
                ctx.insert("body", &html::to_html(&md).map_err(RenderError::Math)?);
                ("page.html", ctx)
            }
        };
        let (_, tera) = self.compiled(Some(format), name)?;
        let out = render_bounded(tera, name, &ctx).map_err(|e| RenderError::Template {
            origin: name.into(),
            message: one_line(&e),
        })?;
        Ok(tidy(&out))
    }
}

fn one_line(e: &dyn std::error::Error) -> String {
    let mut msg = e.to_string();
    let mut src = e.source();
    while let Some(s) = src {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        src = s.source();
    }
    msg.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Collapses runs of blank lines and trailing spaces, so templates can be laid out for reading.
fn tidy(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut blank = 0;
    for line in s.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// Fills `{name}` slots of a catalog phrase.
pub(crate) fn fill(text: &str, slots: &[(&str, String)]) -> String {
    let mut s = text.to_string();
    for (k, v) in slots {
        s = s.replace(&format!("{{{k}}}"), v);
    }
    s
}

/// Renders the NumPy code of problem number `index` (0-based), whose trace (of any length) is
/// `trace`.
pub fn render_code(
    templates: &Templates,
    ex: &Exercise,
    index: usize,
    trace: &Trace,
    lang: &str,
    dtype: code::Dtype,
) -> Result<String, RenderError> {
    Renderer::new(templates.clone()).code(ex, index, trace, lang, dtype)
}

/// Renders the Python template `name` with `view`, without escaping, trailing spaces trimmed.
fn render_python(
    templates: &Templates,
    name: &str,
    view: &impl serde::Serialize,
) -> Result<String, RenderError> {
    Renderer::new(templates.clone()).python(name, view)
}

/// One optimizer of exercise 5's PyTorch code.
#[derive(serde::Serialize)]
struct VanishingOptimizerView {
    name: String,
    /// The constructor over `model.parameters()`, when PyTorch (or the code's own ADOPT) computes
    /// this form.
    call: Option<String>,
}

/// The view of exercise 5's PyTorch code.
#[derive(serde::Serialize)]
struct VanishingCodeView {
    batch_size: u64,
    epochs: u64,
    lr: String,
    seed: u64,
    init_std: String,
    /// `[784, 128, ...]`.
    sizes: String,
    optimizers: Vec<VanishingOptimizerView>,
}

/// Renders the reference PyTorch code of exercise 5 (`vanishing.py`) for `plan`.
pub fn render_vanishing_code(
    templates: &Templates,
    plan: &crate::vanishing::Plan,
) -> Result<String, RenderError> {
    let s = &plan.settings;
    let optimizers = s
        .optimizers
        .iter()
        .map(|o| {
            let value = |n: &str| {
                o.params
                    .iter()
                    .find(|(k, _)| *k == n)
                    .map_or_else(String::new, |(_, v)| v.to_string())
            };
            let call = crate::vanishing::torch_call(o.info, &o.params).or_else(|| {
                (o.info.id == "adopt").then(|| {
                    format!(
                        "ADOPT(model.parameters(), lr={}, betas=({}, {}), eps={})",
                        value("lr"),
                        value("beta1"),
                        value("beta2"),
                        value("eps")
                    )
                })
            });
            VanishingOptimizerView {
                name: o.name.clone(),
                call,
            }
        })
        .collect();
    let view = VanishingCodeView {
        batch_size: s.batch_size,
        epochs: s.epochs,
        lr: s.lr.to_string(),
        seed: s.seed,
        init_std: s.init_std.to_string(),
        sizes: format!(
            "[{}]",
            plan.sizes
                .iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        optimizers,
    };
    render_python(templates, "vanishing.py", &view)
}

/// Every figure of a sheet, drawn: one per problem, then the comparison, the objective and the
/// gradient; then exercise 5's when it has results.
pub struct Drawings {
    data: figure::Figures,
    problems: Vec<plot::Drawn>,
    shared: [plot::Drawn; 3],
    vanishing: Option<VanishingDrawings>,
}

/// Exercise 5's figures, drawn: `(file name, picture)` in the order of
/// [`view::vanishing::figure_files`], with the optimizers' names of the gradient figures.
pub struct VanishingDrawings {
    optimizers: Vec<String>,
    layers: usize,
    drawn: Vec<(String, plot::Drawn)>,
}

/// Exercise 5's figures when `section` has results (they need no run, so a caller may draw them
/// while the runs are computed, and add them with [`Drawings::with_vanishing`]).
pub fn draw_vanishing(
    section: Option<&crate::vanishing::report::Section>,
) -> Result<Option<VanishingDrawings>, RenderError> {
    use rayon::prelude::*;
    let Some(crate::vanishing::report::Section::Results { results, .. }) = section else {
        return Ok(None);
    };
    let figs = figure::vanishing::figures(results);
    let optimizers: Vec<String> = figs.gradients.iter().map(|(n, _)| n.clone()).collect();
    let names = view::vanishing::figure_files(&optimizers);
    let curves = [&figs.accuracy, &figs.loss]
        .into_iter()
        .chain(figs.gradients.iter().map(|(_, c)| c));
    let curves: Vec<_> = curves.collect();
    let drawn = names
        .into_par_iter()
        .zip(curves)
        .map(|(name, c)| {
            let d = plot::curves(c).map_err(|e| RenderError::Figure(format!("{name}: {e}")))?;
            Ok((name, d))
        })
        .collect::<Result<Vec<_>, RenderError>>()?;
    Ok(Some(VanishingDrawings {
        optimizers,
        layers: results.sizes.len().saturating_sub(1),
        drawn,
    }))
}

/// Draws every figure of a sheet (the same in every language and format), exercise 5's when
/// `section` has results.
pub fn draw(
    ex: &Exercise,
    solution: &Solution,
    section: Option<&crate::vanishing::report::Section>,
) -> Result<Drawings, RenderError> {
    // exercise 5's figures need no run: drawn while the rest is computed
    let (data, vanishing) =
        rayon::join(|| figure::figures(ex, solution), || draw_vanishing(section));
    planes(ex, data, vanishing?)
}

/// [`draw`] without exercise 5's figures, which a caller draws with [`draw_vanishing`] (they need
/// no run, so at the same time as the runs and these) and adds with [`Drawings::with_vanishing`].
pub fn draw_runs(ex: &Exercise, solution: &Solution) -> Result<Drawings, RenderError> {
    planes(ex, figure::figures(ex, solution), None)
}

/// Draws the planes and curves of `data` (in parallel), beside exercise 5's figures.
fn planes(
    ex: &Exercise,
    data: figure::Figures,
    vanishing: Option<VanishingDrawings>,
) -> Result<Drawings, RenderError> {
    use rayon::prelude::*;
    let problems = ex
        .problems
        .par_iter()
        .zip(&data.problems)
        .map(|(p, plane)| {
            plot::plane(plane).map_err(|e| RenderError::Figure(format!("{}: {e}", p.id)))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let named = |i: usize| {
        let drawn = match i {
            0 => plot::plane(&data.comparison),
            1 => plot::curves(&data.objective),
            _ => plot::curves(&data.gradient),
        };
        drawn.map_err(|e| RenderError::Figure(format!("{}: {e}", view::figure::SHARED_FILES[i])))
    };
    let shared: Vec<plot::Drawn> = (0..3)
        .into_par_iter()
        .map(named)
        .collect::<Result<_, _>>()?;
    let Ok(shared) = <[plot::Drawn; 3]>::try_from(shared) else {
        return Err(RenderError::Figure("the shared figures".into()));
    };
    Ok(Drawings {
        data,
        problems,
        shared,
        vanishing,
    })
}

impl Drawings {
    /// These drawings with exercise 5's.
    pub fn with_vanishing(self, vanishing: Option<VanishingDrawings>) -> Drawings {
        Drawings { vanishing, ..self }
    }

    /// `(file name, SVG)` of every figure.
    pub fn files(&self, ex: &Exercise) -> Vec<(String, String)> {
        ex.problems
            .iter()
            .zip(&self.problems)
            .map(|(p, d)| (view::figure::problem_file(&p.id), d.svg.clone()))
            .chain(
                view::figure::SHARED_FILES
                    .iter()
                    .zip(&self.shared)
                    .map(|(n, d)| (n.to_string(), d.svg.clone())),
            )
            .chain(
                self.vanishing
                    .iter()
                    .flat_map(|v| v.drawn.iter().map(|(n, d)| (n.clone(), d.svg.clone()))),
            )
            .collect()
    }
}

/// The figures' SVG files that go beside the Markdown sheets: `(file name, SVG)`. They hold symbols
/// and problem ids only, so one set serves every language.
pub fn figure_files(
    ex: &Exercise,
    solution: &Solution,
) -> Result<Vec<(String, String)>, RenderError> {
    sheet_figure_files(ex, solution, None)
}

/// [`figure_files`] with exercise 5's figures when `section` has results.
pub fn sheet_figure_files(
    ex: &Exercise,
    solution: &Solution,
    section: Option<&crate::vanishing::report::Section>,
) -> Result<Vec<(String, String)>, RenderError> {
    Ok(draw(ex, solution, section)?.files(ex))
}

/// The file that holds every epoch of a problem's run, beside a sheet whose table is sampled.
pub fn trajectory_file(p: &crate::spec::Problem) -> String {
    format!("{}-trajectory.csv", p.id)
}

/// `(file name, CSV)` of every run whose table is too long to show whole: `epoch,w1,...,f`, every
/// digit.
pub fn trajectory_files(ex: &Exercise, solution: &Solution) -> Vec<(String, String)> {
    ex.problems
        .iter()
        .zip(&solution.runs)
        .filter(|(_, run)| crate::analysis::rows::sample(run.trace.epochs.len() + 1).is_some())
        .map(|(p, run)| {
            let tr = &run.trace;
            let mut csv = String::from("epoch,");
            csv.push_str(&tr.variables.join(","));
            csv.push_str(",f\n");
            let rows = std::iter::once((0u64, tr.start.as_slice(), &tr.f_start)).chain(
                tr.epochs
                    .iter()
                    .map(|e| (e.epoch, e.after.as_slice(), &e.f)),
            );
            for (t, w, f) in rows {
                csv.push_str(&t.to_string());
                for x in w.iter().chain([f]) {
                    csv.push(',');
                    csv.push_str(&view::cell(x, crate::number::SIG_DIGITS));
                }
                csv.push('\n');
            }
            (trajectory_file(p), csv)
        })
        .collect()
}

/// Renders one sheet in one language and format, without exercise 5 (see [`render_sheet`]).
pub fn render(
    templates: &Templates,
    ex: &Exercise,
    solution: &Solution,
    lang: &str,
    format: Format,
    digits: u32,
) -> Result<String, RenderError> {
    render_sheet(templates, ex, solution, None, lang, format, digits)
}

/// Renders one sheet in one language and format, with exercise 5's section when `section` is
/// given (its results, or how to make them).
pub fn render_sheet(
    templates: &Templates,
    ex: &Exercise,
    solution: &Solution,
    section: Option<&crate::vanishing::report::Section>,
    lang: &str,
    format: Format,
    digits: u32,
) -> Result<String, RenderError> {
    let drawings = draw(ex, solution, section)?;
    let r = Renderer::new(templates.clone());
    let code = r.codes(ex, solution, lang)?;
    r.sheet(
        ex,
        solution,
        Some(&drawings),
        section,
        &code,
        lang,
        format,
        digits,
    )
}

/// Renders the statement sheet (no answer: built from the exercise alone) in one language and
/// format.
pub fn render_statement(
    templates: &Templates,
    ex: &Exercise,
    lang: &str,
    format: Format,
) -> Result<String, RenderError> {
    Renderer::new(templates.clone()).statement(ex, lang, format)
}
