//! Render: Tera's errors as diagnostics, located in the template file
//! (site override, theme or embedded) with its line and a hint.

use std::path::PathBuf;

use crate::diagnostics::Diagnostic;
use crate::theme::Theme;

pub(super) fn missing_template(theme: &Theme, name: &str, what: &str) -> Diagnostic {
    let names: Vec<&str> = theme.templates.keys().map(String::as_str).collect();
    Diagnostic::new(
        PathBuf::from(what),
        format!("template `{name}` does not exist"),
    )
    .hint(crate::diagnostics::suggest(name, &names, "templates"))
}

/// A Tera error, located in the template file it comes from.
pub(super) fn template_error(theme: &Theme, err: &tera::Error, what: Option<&str>) -> Diagnostic {
    use std::error::Error as _;
    let while_rendering = what
        .map(|w| format!(" (while rendering {w})"))
        .unwrap_or_default();
    match err.kind() {
        // Checks across templates (unknown filters, tests, functions,
        // included templates) come as one message of rustc-style reports.
        tera::ErrorKind::Msg(text) if text.contains("\n --> ") => {
            let reports = parse_reports(text);
            let Some((name, line, column, message)) = reports.first() else {
                return Diagnostic::new("templates/", format!("template error: {text}"));
            };
            let file = theme.templates.get(name);
            let origin = file
                .map(|f| f.origin.clone())
                .unwrap_or_else(|| PathBuf::from(name));
            let source = file
                .map(|f| String::from_utf8_lossy(&f.bytes).into_owned())
                .unwrap_or_default();
            let mut message = format!("template error: {message}{while_rendering}");
            if reports.len() > 1 {
                message.push_str(&format!(" (and {} more)", reports.len() - 1));
            }
            Diagnostic::new(origin, message)
                .at(&source, *line, *column)
                .hint("check the names of the filters, tests, functions and templates it uses (docs/templates.md)")
        }
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let file = theme.templates.get(report.filename());
            let origin = file
                .map(|f| f.origin.clone())
                .unwrap_or_else(|| PathBuf::from(report.filename()));
            let text = file
                .map(|f| String::from_utf8_lossy(&f.bytes).into_owned())
                .unwrap_or_default();
            let span = report.span();
            let mut message = report.message().to_string();
            let mut source = err.source();
            while let Some(s) = source {
                message.push_str(&format!(": {s}"));
                source = s.source();
            }
            Diagnostic::new(origin, format!("template error: {message}{while_rendering}"))
                .at(&text, span.start_line, span.start_col + 1)
                .hint("check the template syntax and the names of the variables it uses (docs/templates.md)")
        }
        _ => Diagnostic::new(
            PathBuf::from("templates/"),
            format!("template error: {err}{while_rendering}"),
        ),
    }
}

/// `error: <message>` followed by ` --> <template>:<line>:<column>`, for
/// each report in a Tera message.
fn parse_reports(text: &str) -> Vec<(String, usize, usize, String)> {
    let mut out = Vec::new();
    let mut message = None;
    for line in text.lines() {
        if let Some(m) = line.strip_prefix("error: ") {
            message = Some(m.to_string());
        } else if let Some(at) = line.trim_start().strip_prefix("--> ") {
            let mut parts = at.rsplitn(3, ':');
            let column = parts.next().and_then(|c| c.trim().parse().ok());
            let line_no = parts.next().and_then(|l| l.parse().ok());
            if let (Some(column), Some(line_no), Some(name), Some(m)) =
                (column, line_no, parts.next(), message.take())
            {
                out.push((name.to_string(), line_no, column, m));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tera_reports_are_parsed() {
        let text = "error: Unknown filter `weg`\n --> page.html:3:17\n  |\n3 | x\n\nerror: Unknown template `a.html`\n --> partials/b.html:1:12\n";
        assert_eq!(
            parse_reports(text),
            [
                ("page.html".into(), 3, 17, "Unknown filter `weg`".into()),
                (
                    "partials/b.html".into(),
                    1,
                    12,
                    "Unknown template `a.html`".into()
                )
            ]
        );
    }
}
