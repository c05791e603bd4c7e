//! A plotters drawing backend that writes TikZ, so the LaTeX sheet carries the very picture the SVG
//! files show, as vector graphics that XeLaTeX compiles with the document (no file beside it).
//!
//! Pixels map to a fixed length ([`PX_CM`]); the vertical axis points down, as in plotters. Colours
//! are defined once per picture with `\definecolor`; text is escaped for LaTeX and set in the
//! document's font at the size the SVG gives it.

use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
    FontTransform,
};
use std::collections::BTreeSet;
use std::fmt::Write;

/// The length of one pixel, in centimetres.
pub const PX_CM: f64 = 0.02;

/// Never fails: writing to a `String` cannot.
#[derive(Debug)]
pub struct NoError;

impl std::fmt::Display for NoError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("tikz backend")
    }
}

impl std::error::Error for NoError {}

/// Draws into a `tikzpicture`, written to its target string when presented.
pub struct Tikz<'a> {
    target: &'a mut String,
    size: (u32, u32),
    body: String,
    colors: BTreeSet<(u8, u8, u8)>,
}

type Res = Result<(), DrawingErrorKind<NoError>>;

impl<'a> Tikz<'a> {
    /// An empty picture of `size` pixels, to be written to `target`.
    pub fn new(target: &'a mut String, size: (u32, u32)) -> Tikz<'a> {
        Tikz {
            target,
            size,
            body: String::new(),
            colors: BTreeSet::new(),
        }
    }

    /// The finished `tikzpicture`.
    fn finish(&self) -> String {
        let mut out = format!("\\begin{{tikzpicture}}[x={PX_CM}cm,y=-{PX_CM}cm]\n");
        for (r, g, b) in &self.colors {
            let _ = writeln!(
                out,
                "\\definecolor{{{}}}{{RGB}}{{{r},{g},{b}}}",
                color_name((*r, *g, *b))
            );
        }
        let _ = writeln!(
            out,
            "\\useasboundingbox (0,0) rectangle ({},{});",
            self.size.0, self.size.1
        );
        out.push_str(&self.body);
        out.push_str("\\end{tikzpicture}");
        out
    }

    /// Defines the colour and returns its name with the opacity (when not opaque).
    fn color(&mut self, c: BackendColor) -> (String, Option<f64>) {
        self.colors.insert(c.rgb);
        (color_name(c.rgb), (c.alpha < 1.0).then(|| round3(c.alpha)))
    }

    fn paint(&mut self, c: BackendColor) -> String {
        match self.color(c) {
            (name, None) => format!("color={name}"),
            (name, Some(a)) => format!("color={name},opacity={a}"),
        }
    }

    fn line_style<S: BackendStyle>(&mut self, style: &S) -> String {
        let mut s = self.paint(style.color());
        let w = style.stroke_width().max(1);
        let _ = write!(s, ",line width={}pt", round3(w as f64 * PX_CM * 28.4528));
        s
    }

    fn polyline(&mut self, op: &str, options: &str, pts: &[BackendCoord], close: bool) {
        let _ = write!(self.body, "\\{op}[{options}]");
        let mut last: Option<BackendCoord> = None;
        let mut n = 0;
        for p in pts {
            if last == Some(*p) {
                continue;
            }
            if last.is_some() {
                self.body.push_str(" --");
            }
            n += 1;
            if n % 8 == 0 {
                self.body.push('\n');
            }
            let _ = write!(self.body, " ({},{})", p.0, p.1);
            last = Some(*p);
        }
        if close {
            self.body.push_str(" -- cycle");
        }
        self.body.push_str(";\n");
    }
}

/// A colour's name, letters only: `sw` and its six hex digits spelled a to p.
fn color_name((r, g, b): (u8, u8, u8)) -> String {
    let hex = format!("{r:02x}{g:02x}{b:02x}");
    let letters: String = hex
        .chars()
        .map(|c| char::from(b'a' + c.to_digit(16).unwrap_or(0) as u8))
        .collect();
    format!("sw{letters}")
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

impl DrawingBackend for Tikz<'_> {
    type ErrorType = NoError;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> Res {
        Ok(())
    }

    fn present(&mut self) -> Res {
        *self.target = self.finish();
        Ok(())
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Res {
        let c = self.paint(color);
        let _ = writeln!(
            self.body,
            "\\fill[{c}] ({},{}) rectangle ({},{});",
            point.0,
            point.1,
            point.0 + 1,
            point.1 + 1
        );
        Ok(())
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Res {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        let o = self.line_style(style);
        self.polyline("draw", &o, &[from, to], false);
        Ok(())
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Res {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        let (op, o) = if fill {
            ("fill", self.paint(style.color()))
        } else {
            ("draw", self.line_style(style))
        };
        let _ = writeln!(
            self.body,
            "\\{op}[{o}] ({},{}) rectangle ({},{});",
            upper_left.0, upper_left.1, bottom_right.0, bottom_right.1
        );
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Res {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        let pts: Vec<BackendCoord> = path.into_iter().collect();
        if pts.len() < 2 {
            return Ok(());
        }
        let o = self.line_style(style) + ",line join=round";
        self.polyline("draw", &o, &pts, false);
        Ok(())
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Res {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        let (op, o) = if fill {
            ("fill", self.paint(style.color()))
        } else {
            ("draw", self.line_style(style))
        };
        let _ = writeln!(
            self.body,
            "\\{op}[{o}] ({},{}) circle[radius={radius}];",
            center.0, center.1
        );
        Ok(())
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Res {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        let pts: Vec<BackendCoord> = vert.into_iter().collect();
        let o = self.paint(style.color());
        self.polyline("fill", &o, &pts, true);
        Ok(())
    }

    fn draw_text<T: BackendTextStyle>(&mut self, text: &str, style: &T, pos: BackendCoord) -> Res {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let anchor = match (style.anchor().h_pos, style.anchor().v_pos) {
            (HPos::Left, VPos::Top) => "north west",
            (HPos::Center, VPos::Top) => "north",
            (HPos::Right, VPos::Top) => "north east",
            (HPos::Left, VPos::Center) => "west",
            (HPos::Center, VPos::Center) => "center",
            (HPos::Right, VPos::Center) => "east",
            (HPos::Left, VPos::Bottom) => "south west",
            (HPos::Center, VPos::Bottom) => "south",
            (HPos::Right, VPos::Bottom) => "south east",
        };
        // the SVG's font size, in pixels, as points
        let pt = round3(style.size() / 1.24 * PX_CM * 28.4528);
        let rotate = match style.transform() {
            FontTransform::Rotate90 => ",rotate=-90",
            FontTransform::Rotate180 => ",rotate=180",
            FontTransform::Rotate270 => ",rotate=90",
            _ => "",
        };
        let (name, opacity) = self.color(color);
        let opacity = opacity.map_or_else(String::new, |a| format!(",text opacity={a}"));
        let text = super::escape::to_string(super::escape::latex, text);
        let _ = writeln!(
            self.body,
            "\\node[anchor={anchor},inner sep=0pt,text={name}{opacity}{rotate},font=\\sffamily\\fontsize{{{pt}}}{{{}}}\\selectfont] at ({},{}) {{{text}}};",
            round3(pt * 1.2),
            pos.0,
            pos.1
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use plotters::prelude::*;

    #[test]
    fn a_drawing_becomes_tikz_commands() {
        let mut out = String::new();
        {
            let root = Tikz::new(&mut out, (100, 50)).into_drawing_area();
            root.draw(&PathElement::new(
                vec![(0, 0), (10, 0), (10, 0), (10, 20)],
                Color::stroke_width(&RGBColor(31, 119, 180), 2),
            ))
            .unwrap();
            root.draw(&Text::new("a_b & 50%", (5, 5), ("sans-serif", 20)))
                .unwrap();
            root.draw(&Circle::new((3, 4), 2, BLACK.filled())).unwrap();
            root.present().unwrap();
        }
        assert!(
            out.starts_with("\\begin{tikzpicture}[x=0.02cm,y=-0.02cm]\n"),
            "{out}"
        );
        assert!(out.ends_with("\\end{tikzpicture}"));
        assert!(
            out.contains("\\definecolor{swbphhle}{RGB}{31,119,180}"),
            "{out}"
        );
        assert!(out.contains("\\useasboundingbox (0,0) rectangle (100,50);"));
        // a repeated point is dropped
        assert!(out.contains("(0,0) -- (10,0) -- (10,20);"), "{out}");
        // text escaped for LaTeX
        assert!(out.contains("{a\\_b \\& 50\\%};"), "{out}");
        assert!(
            out.contains("\\fill[color=swaaaaaa] (3,4) circle[radius=2];"),
            "{out}"
        );
    }
}
