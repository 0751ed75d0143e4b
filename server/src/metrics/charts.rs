//! Metric charts as SVG, drawn on the server with plotters' SVG backend so that they print and
//! go into exports: a metric (or derived figure) per platform over a year, or one platform's
//! year beside the year before. Every chart has a data table beside it on the page (the same
//! figures, from `kompromiss_shared::metrics::figures`), for screen readers.

use kompromiss_shared::dto::metrics::MetricsView;
use kompromiss_shared::ids::DocumentId;
use kompromiss_shared::metrics::Amount;
use kompromiss_shared::metrics::figures::month_series;
use plotters::element::{Drawable, PointCollection};
use plotters::prelude::*;

use super::{MetricsError, view};
use crate::auth::Principal;
use crate::state::AppState;

/// Chart size in pixels (the SVG scales).
const WIDTH: u32 = 720;
const HEIGHT: u32 = 360;
/// Colours that stay apart for colour-blind readers (Okabe and Ito), and a marker shape each.
const COLOURS: [RGBColor; 6] = [
    RGBColor(0x00, 0x72, 0xb2),
    RGBColor(0xd5, 0x5e, 0x00),
    RGBColor(0x00, 0x9e, 0x73),
    RGBColor(0xcc, 0x79, 0xa7),
    RGBColor(0x56, 0xb4, 0xe9),
    RGBColor(0x00, 0x00, 0x00),
];

/// One line of a chart: its label and a value per month number (1–12) where there is one.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub label: String,
    pub points: Vec<(u32, f64)>,
}

/// What to draw: a metric's or derived figure's key, and either every platform in one year or
/// one platform's year beside the year before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartRequest {
    pub figure: String,
    pub year: u16,
    pub platform: Option<String>,
    pub english: bool,
}

/// Every platform's line of a figure in a year, drawn from `view` alone (the yearly evaluation
/// draws from its own frozen values).
pub fn all_platforms(view: &MetricsView, figure: &str, english: bool) -> Result<String, MetricsError> {
    let name = figure_name(view, figure, english).ok_or(MetricsError::Invalid("figure"))?;
    let lines: Vec<Line> = view
        .platforms
        .iter()
        .map(|p| Line { label: p.name.clone(), points: points(view, &p.id, figure, view.year) })
        .collect();
    Ok(draw(&format!("{name} {}", view.year), &lines, english))
}

/// A chart of a concept's metrics as SVG.
pub async fn chart(
    state: &AppState,
    principal: &Principal,
    concept: DocumentId,
    req: ChartRequest,
) -> Result<String, MetricsError> {
    let this = view(state, principal, concept, Some(req.year)).await?;
    let name = figure_name(&this, &req.figure, req.english).ok_or(MetricsError::Invalid("figure"))?;
    let lines = match &req.platform {
        None => return all_platforms(&this, &req.figure, req.english),
        Some(platform) => {
            let p = this.platforms.iter().find(|p| &p.id == platform).ok_or(MetricsError::Invalid("platform"))?;
            // The first year there can be has no year before: its line stays empty.
            let earlier = if req.year > kompromiss_shared::metrics::month::FIRST_YEAR {
                points(&view(state, principal, concept, Some(req.year - 1)).await?, &p.id, &req.figure, req.year - 1)
            } else {
                Vec::new()
            };
            vec![
                Line { label: (req.year - 1).to_string(), points: earlier },
                Line { label: req.year.to_string(), points: points(&this, &p.id, &req.figure, req.year) },
            ]
        }
    };
    let platform = req.platform.as_deref().unwrap_or_default();
    let platform = this.platforms.iter().find(|x| x.id == platform).map_or("", |x| x.name.as_str());
    let title = format!("{platform}: {name} {} / {}", req.year - 1, req.year);
    Ok(draw(&title, &lines, req.english))
}

/// The name of a metric or derived figure.
fn figure_name(view: &MetricsView, key: &str, english: bool) -> Option<String> {
    let pick = |l: &kompromiss_shared::template::Localized| if english { l.en.clone() } else { l.de.clone() };
    view.metrics
        .iter()
        .find(|m| m.key == key)
        .map(|m| pick(&m.name))
        .or_else(|| view.derived.iter().find(|d| d.key == key).map(|d| pick(&d.name)))
}

/// A figure's values per month of a year for one platform.
fn points(view: &MetricsView, platform: &str, figure: &str, year: u16) -> Vec<(u32, f64)> {
    month_series(view, &view.derived, platform, figure, year).into_iter().map(|(m, v)| (u32::from(m), v)).collect()
}

const MONTHS_DE: [&str; 12] = ["Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"];
const MONTHS_EN: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// A number as an axis label: German digit grouping, at most two decimals.
fn axis_number(v: f64, english: bool) -> String {
    let a = Amount::rounded(v).unwrap_or(Amount::ZERO);
    if english { a.plain() } else { a.german() }
}

/// Width of the legend at the right of the plot, in pixels.
const LEGEND_WIDTH: u32 = 170;

/// Draws the lines as an SVG line chart with months along the bottom and the legend at the
/// right, outside the plot (it never hides a line); gaps stay gaps.
pub fn draw(title: &str, lines: &[Line], english: bool) -> String {
    let mut svg = String::new();
    let top = lines.iter().flat_map(|l| l.points.iter().map(|p| p.1)).fold(0.0_f64, f64::max);
    let top = if top > 0.0 { top * 1.1 } else { 1.0 };
    let drawn = (|| -> Result<(), Box<dyn std::error::Error + '_>> {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE)?;
        let root = root.titled(title, ("sans-serif", 20))?;
        let (plot, legend) = root.split_horizontally(WIDTH - LEGEND_WIDTH);
        let mut chart = ChartBuilder::on(&plot)
            .margin(12)
            .x_label_area_size(32)
            .y_label_area_size(72)
            .build_cartesian_2d(1u32..12u32, 0.0..top)?;
        let months = if english { MONTHS_EN } else { MONTHS_DE };
        chart
            .configure_mesh()
            .x_labels(12)
            .x_label_formatter(&|m| months.get((*m as usize).wrapping_sub(1)).copied().unwrap_or("").to_owned())
            .y_label_formatter(&|v| axis_number(*v, english))
            .light_line_style(WHITE.mix(0.0))
            .draw()?;
        let mut listed = 0;
        for (i, line) in lines.iter().enumerate() {
            let colour = COLOURS[i % COLOURS.len()];
            for run in runs(&line.points) {
                chart.draw_series(LineSeries::new(run.iter().copied(), colour.stroke_width(2)))?;
            }
            chart.draw_series(line.points.iter().map(|&p| marker(i, p, colour)))?;
            if line.points.is_empty() {
                continue; // nothing drawn, nothing to name (its colour stays its own)
            }
            listed += 1;
            let y = 24 * listed;
            legend.draw(&PathElement::new(vec![(4, y), (28, y)], colour.stroke_width(3)))?;
            legend.draw(&marker(i, (16, y), colour))?;
            let label: String = line.label.chars().take(18).collect();
            legend.draw(&Text::new(label, (36, y - 7), ("sans-serif", 14).into_font()))?;
        }
        if lines.iter().all(|l| l.points.is_empty()) {
            let none = if english { "No values recorded" } else { "Keine Werte erfasst" };
            plot.draw(&Text::new(none, (i32::try_from(WIDTH / 3).unwrap_or(0), 150), ("sans-serif", 18).into_font()))?;
        }
        root.present()?;
        Ok(())
    })();
    if drawn.is_err() {
        tracing::warn!("a chart could not be drawn");
    }
    svg
}

/// The marker of the `i`th line (circle, triangle, cross in turn, so that lines differ in shape
/// as well as colour).
fn marker<C: Clone + 'static, DB: DrawingBackend>(i: usize, at: C, colour: RGBColor) -> DynElement<'static, DB, C>
where
    Circle<C, i32>: Drawable<DB>,
    TriangleMarker<C, i32>: Drawable<DB>,
    Cross<C, i32>: Drawable<DB>,
    for<'a> &'a Circle<C, i32>: PointCollection<'a, C>,
    for<'a> &'a TriangleMarker<C, i32>: PointCollection<'a, C>,
    for<'a> &'a Cross<C, i32>: PointCollection<'a, C>,
{
    match i % 3 {
        0 => Circle::new(at, 4, colour.filled()).into_dyn(),
        1 => TriangleMarker::new(at, 5, colour.filled()).into_dyn(),
        _ => Cross::new(at, 4, colour.stroke_width(2)).into_dyn(),
    }
}

/// Consecutive months as separate runs, so that a missing month breaks the line.
fn runs(points: &[(u32, f64)]) -> Vec<Vec<(u32, f64)>> {
    let mut out: Vec<Vec<(u32, f64)>> = Vec::new();
    for &p in points {
        match out.last_mut() {
            Some(run) if run.last().is_some_and(|q| q.0 + 1 == p.0) => run.push(p),
            _ => out.push(vec![p]),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_is_svg_with_its_title_labels_and_a_gap_for_a_missing_month() {
        let lines = vec![
            Line { label: "Mastodon".into(), points: vec![(1, 100.0), (2, 150.0), (4, 300.0)] },
            Line { label: "Instagram".into(), points: vec![(1, 2000.0), (2, 2100.0)] },
        ];
        let svg = draw("Follower 2026", &lines, false);
        if let Ok(path) = std::env::var("KOMPROMISS_CHART_SAMPLE") {
            std::fs::write(path, &svg).expect("sample written");
        }
        assert!(svg.starts_with("<svg"), "{}", &svg[..svg.len().min(80)]);
        for text in ["Follower 2026", "Mastodon", "Instagram", "Mär", "Dez", "2.000"] {
            assert!(svg.contains(text), "missing {text}");
        }
        assert_eq!(runs(&lines[0].points).len(), 2, "April is not joined to February");
        let blue = svg.lines().filter(|l| l.starts_with("<polyline") && l.contains("#0072B2")).count();
        assert_eq!(blue, 2 + 1, "Mastodon's two runs and its legend stroke");
    }

    #[test]
    fn an_empty_chart_says_so() {
        let svg = draw("Reach 2026", &[Line { label: "Mastodon".into(), points: vec![] }], true);
        assert!(svg.contains("No values recorded"));
    }
}
