//! Drawing the figures computed by [`crate::figure`] with plotters: the same drawing code writes an
//! SVG (beside the Markdown, inline in the HTML) and a TikZ picture (in the LaTeX sheet, see
//! [`super::tikz`]), so every format shows the same picture. Nothing is computed here but the
//! placement plotters does; text in the pictures is symbols and problem ids, the same in every
//! language (the captions, from the catalogs, say the rest).

use super::tikz::Tikz;
use super::view::width::sans_text_em;
use crate::figure::{CurveKind, Curves, Plane};
use plotters::coord::Shift;
use plotters::prelude::*;

/// The size of every figure, in pixels.
pub const SIZE: (u32, u32) = (600, 420);

/// One figure drawn twice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drawn {
    /// The SVG document.
    pub svg: String,
    /// The `tikzpicture`.
    pub tikz: String,
}

/// The colours of the paths, in problem order (then again).
const PALETTE: [(u8, u8, u8); 8] = [
    (31, 119, 180),
    (214, 39, 40),
    (44, 160, 44),
    (148, 103, 189),
    (255, 127, 14),
    (140, 86, 75),
    (227, 119, 194),
    (23, 190, 207),
];

const CONTOUR: RGBColor = RGBColor(176, 176, 176);
const FONT: &str = "sans-serif";

fn color(k: usize) -> RGBColor {
    let (r, g, b) = PALETTE[k % PALETTE.len()];
    RGBColor(r, g, b)
}

/// A tick label: the value to 10 significant digits, in its shortest form.
fn tick(v: f64) -> String {
    let r: f64 = format!("{v:.9e}").parse().unwrap_or(v);
    let a = r.abs();
    if r == 0.0 {
        "0".to_string()
    } else if (1e-3..1e5).contains(&a) {
        format!("{r}")
    } else {
        format!("{r:e}")
    }
}

type Res = Result<(), String>;

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

fn draw_plane<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, p: &Plane) -> Res {
    root.fill(&WHITE).map_err(err)?;
    let w = &p.window;
    let mut chart = ChartBuilder::on(root)
        .margin(14)
        .x_label_area_size(44)
        .y_label_area_size(70)
        .build_cartesian_2d(w.x.0..w.x.1, w.y.0..w.y.1)
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc(p.labels.0.as_str())
        .y_desc(p.labels.1.as_str())
        .x_labels(7)
        .y_labels(7)
        .x_label_formatter(&|v| tick(*v))
        .y_label_formatter(&|v| tick(*v))
        .label_style((FONT, 15))
        .axis_desc_style((FONT, 18))
        .draw()
        .map_err(err)?;
    for c in &p.contours {
        for line in &c.lines {
            chart
                .draw_series(LineSeries::new(line.iter().copied(), CONTOUR))
                .map_err(err)?;
        }
    }
    for g in &p.graph {
        chart
            .draw_series(LineSeries::new(g.iter().copied(), BLACK.stroke_width(2)))
            .map_err(err)?;
    }
    let several = p.paths.len() > 1;
    for (k, path) in p.paths.iter().enumerate() {
        let c = color(k);
        let style = c.stroke_width(2);
        for piece in &path.pieces {
            chart
                .draw_series(LineSeries::new(piece.iter().copied(), style))
                .map_err(err)?;
        }
        chart
            .draw_series(path.markers.iter().map(|m| Circle::new(*m, 3, c.filled())))
            .map_err(err)?;
        if let Some(s) = path.start {
            if k == 0 || !several {
                chart
                    .draw_series(std::iter::once(
                        EmptyElement::at(s)
                            + Circle::new((0, 0), 5, BLACK.filled())
                            + Text::new("t = 0", (8, -20), (FONT, 16).into_font()),
                    ))
                    .map_err(err)?;
            }
        }
        if let (Some(e), false) = (path.end, several) {
            chart
                .draw_series(std::iter::once(
                    EmptyElement::at(e)
                        + Circle::new((0, 0), 5, c.filled())
                        + Text::new(
                            format!("t = {}", path.epochs),
                            (8, 4),
                            (FONT, 16).into_font(),
                        ),
                ))
                .map_err(err)?;
        }
    }
    if let Some(m) = p.minimizer {
        chart
            .draw_series(std::iter::once(
                EmptyElement::at(m)
                    + Cross::new((0, 0), 6, BLACK.stroke_width(2))
                    + Text::new("w*", (8, -22), (FONT, 16).into_font()),
            ))
            .map_err(err)?;
    }
    if several {
        let entries: Vec<(&str, RGBColor)> = (p.paths.iter().enumerate())
            .map(|(k, path)| (path.label.as_str(), color(k)))
            .collect();
        legend(&chart.plotting_area().strip_coord_spec(), &entries, false)?;
    }
    root.present().map_err(err)
}

fn draw_curves<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, c: &Curves) -> Res {
    root.fill(&WHITE).map_err(err)?;
    let x = 0.0..(c.epochs.max(1) as f64);
    let y_desc = match c.kind {
        CurveKind::Gap => "f − f*",
        CurveKind::Objective => "f",
        CurveKind::GradientNorm => "‖∇f‖",
        CurveKind::Loss => "ℓ",
        CurveKind::Accuracy => "%",
        CurveKind::LayerGradientNorm => "‖g‖",
    };
    // accuracies rise to the top right: their legend goes where the curves start, at chance
    let middle = c.kind == CurveKind::Accuracy;
    let entries: Vec<(&str, RGBColor)> = (c.series.iter().enumerate())
        .map(|(k, s)| (s.label.as_str(), color(k)))
        .collect();
    let mut builder = ChartBuilder::on(root);
    builder
        .margin(14)
        .x_label_area_size(44)
        .y_label_area_size(70);
    if c.log {
        let mut chart = builder
            .build_cartesian_2d(x, (c.range.0..c.range.1).log_scale())
            .map_err(err)?;
        chart
            .configure_mesh()
            .light_line_style(WHITE.mix(0.0))
            .bold_line_style(RGBColor(225, 225, 225))
            .x_desc("t")
            .y_desc(y_desc)
            .x_labels(7)
            .y_labels(8)
            .x_label_formatter(&|v| tick(*v))
            .y_label_formatter(&|v| tick(*v))
            .label_style((FONT, 15))
            .axis_desc_style((FONT, 18))
            .draw()
            .map_err(err)?;
        series(&mut chart, c)?;
        legend(&chart.plotting_area().strip_coord_spec(), &entries, middle)
    } else {
        let pad = (c.range.1 - c.range.0) * 0.05;
        let mut chart = builder
            .build_cartesian_2d(x, (c.range.0 - pad)..(c.range.1 + pad))
            .map_err(err)?;
        chart
            .configure_mesh()
            .light_line_style(WHITE.mix(0.0))
            .bold_line_style(RGBColor(225, 225, 225))
            .x_desc("t")
            .y_desc(y_desc)
            .x_labels(7)
            .y_labels(8)
            .x_label_formatter(&|v| tick(*v))
            .y_label_formatter(&|v| tick(*v))
            .label_style((FONT, 15))
            .axis_desc_style((FONT, 18))
            .draw()
            .map_err(err)?;
        series(&mut chart, c)?;
        legend(&chart.plotting_area().strip_coord_spec(), &entries, middle)
    }?;
    root.present().map_err(err)
}

fn series<'a, DB: DrawingBackend + 'a, Y>(
    chart: &mut ChartContext<'a, DB, Cartesian2d<plotters::coord::types::RangedCoordf64, Y>>,
    c: &Curves,
) -> Res
where
    Y: Ranged<ValueType = f64>,
{
    for (k, s) in c.series.iter().enumerate() {
        let col = color(k);
        chart
            .draw_series(LineSeries::new(
                s.points.iter().copied(),
                col.stroke_width(2),
            ))
            .map_err(err)?;
    }
    Ok(())
}

/// The legend: a box in the plotting area's upper right corner (or at the middle of its right side)
/// with a line of each colour and its label. The box is sized by [`sans_text_em`], as plotters' own
/// legend, with no font metrics (0.45 em a byte), makes it too narrow for Latin labels and too wide
/// for Vietnamese ones.
fn legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[(&str, RGBColor)],
    middle: bool,
) -> Res {
    const SIZE: f64 = 15.0;
    const MARGIN: i32 = 10;
    const SAMPLE: i32 = 30;
    // plotters' font size is 1.24 times the size the backends write (see `super::tikz`)
    let px = SIZE / 1.24;
    let line = (SIZE * 1.25).round() as i32;
    let text = entries
        .iter()
        .map(|(l, _)| (sans_text_em(l) * px).ceil() as i32)
        .max()
        .unwrap_or(0);
    let (w, h) = (
        SAMPLE + text + 2 * MARGIN,
        line * entries.len() as i32 + 2 * MARGIN,
    );
    let (aw, ah) = area.dim_in_pixel();
    let x0 = aw as i32 - w - 5;
    let y0 = if middle { (ah as i32 - h) / 2 } else { 5 };
    let corners = [(x0, y0), (x0 + w, y0 + h)];
    area.draw(&Rectangle::new(corners, WHITE.mix(0.85).filled()))
        .map_err(err)?;
    area.draw(&Rectangle::new(corners, BLACK)).map_err(err)?;
    let font =
        (FONT, SIZE)
            .into_font()
            .into_text_style(area)
            .pos(plotters::style::text_anchor::Pos::new(
                plotters::style::text_anchor::HPos::Left,
                plotters::style::text_anchor::VPos::Center,
            ));
    for (k, (label, c)) in entries.iter().enumerate() {
        let y = y0 + MARGIN + k as i32 * line + line / 2;
        let x = x0 + MARGIN;
        area.draw(&PathElement::new(
            vec![(x, y), (x + 18, y)],
            c.stroke_width(2),
        ))
        .map_err(err)?;
        area.draw(&Text::new(*label, (x + SAMPLE, y), font.clone()))
            .map_err(err)?;
    }
    Ok(())
}

/// Draws with `f` into an SVG document and with `g` (the same drawing) into a TikZ picture.
fn draw(
    f: impl Fn(&DrawingArea<SVGBackend<'_>, Shift>) -> Res,
    g: impl Fn(&DrawingArea<Tikz<'_>, Shift>) -> Res,
) -> Result<Drawn, String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        f(&root)?;
    }
    let mut tikz = String::new();
    {
        let root = Tikz::new(&mut tikz, SIZE).into_drawing_area();
        g(&root)?;
    }
    Ok(Drawn { svg, tikz })
}

/// A plane, drawn.
pub fn plane(p: &Plane) -> Result<Drawn, String> {
    draw(|r| draw_plane(r, p), |r| draw_plane(r, p))
}

/// Curves against the epoch, drawn.
pub fn curves(c: &Curves) -> Result<Drawn, String> {
    draw(|r| draw_curves(r, c), |r| draw_curves(r, c))
}
