//! Render: the time × room grid of a programme, derived from its flat
//! session list (editors never type a grid).
//!
//! Rows come from every session boundary: each pair of consecutive
//! boundaries is a time range (`10.30–11.30`), and each session with a start
//! only (the walk-in at 9.30, the borrel at 16.00) gets a row of its own for
//! that moment, placed before the ranges starting at the same time. A
//! session spans the rows it covers (`rowspan`) and the rooms it uses
//! (`colspan`); a room that is free in a row gets an empty cell. Ranges in
//! which nothing happens at all (the five minutes between a transfer and
//! the next round) are left out, so the grid stays compact.
//!
//! This is a pure function of times and room ranges, so it is tested
//! without templates. Overlaps are rejected when the programme is
//! validated; should one reach this function anyway, the first session
//! keeps the cell.

use std::ops::Range;

use crate::document::times::Time;

/// What the grid needs of a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Slot {
    pub start: Time,
    /// `None`: a moment (start only).
    pub end: Option<Time>,
    /// Column indexes (rooms, in room order).
    pub rooms: Range<usize>,
}

/// One cell of a row. Cells covered by a span from an earlier row or
/// column are not listed (as in HTML).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Cell {
    /// The top-left cell of a session (its index in the input).
    Session {
        session: usize,
        rowspan: usize,
        colspan: usize,
        /// First room (column) of the session.
        column: usize,
    },
    /// A room that is free during this row.
    Empty { column: usize },
    /// A room open all day for one purpose (`all_day:` on the room), in
    /// the rows between the sessions that use every room: consecutive
    /// free rows are one cell.
    AllDay { column: usize, rowspan: usize },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Row {
    pub start: Time,
    /// `None`: a row for a moment.
    pub end: Option<Time>,
    pub cells: Vec<Cell>,
}

/// Derive the grid for `columns` rooms.
pub(crate) fn derive(slots: &[Slot], columns: usize) -> Vec<Row> {
    derive_with(slots, columns, &[])
}

/// [`derive`], with the rooms (columns) in `all_day` open all day: every
/// cell no session holds is theirs.
pub(crate) fn derive_with(slots: &[Slot], columns: usize, all_day: &[usize]) -> Vec<Row> {
    let (rows, owner) = layout(slots, columns, all_day);
    window(&rows, &owner, 0..rows.len(), 0..columns)
}

/// Who holds a cell of the grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Holder {
    Session(usize),
    /// The room's all-day purpose.
    AllDay,
}

/// The time rows of the grid, and who holds each cell.
#[allow(clippy::type_complexity)]
fn layout(
    slots: &[Slot],
    columns: usize,
    all_day: &[usize],
) -> (Vec<(Time, Option<Time>)>, Vec<Vec<Option<Holder>>>) {
    // Boundaries and moments.
    let mut bounds: Vec<Time> = Vec::new();
    let mut moments: Vec<Time> = Vec::new();
    for s in slots {
        bounds.push(s.start);
        match s.end {
            Some(e) => bounds.push(e),
            None => moments.push(s.start),
        }
    }
    bounds.sort();
    bounds.dedup();
    moments.sort();
    moments.dedup();
    let mut rows: Vec<(Time, Option<Time>)> = bounds
        .windows(2)
        .map(|w| (w[0], Some(w[1])))
        .chain(moments.iter().map(|&m| (m, None)))
        .collect();
    // A moment comes before the ranges that start at the same time.
    rows.sort_by_key(|&(start, end)| (start, end.is_some(), end));

    let covers = |s: &Slot, row: (Time, Option<Time>)| match (s.end, row.1) {
        (None, None) => s.start == row.0,
        (None, Some(_)) => false,
        (Some(end), Some(row_end)) => s.start <= row.0 && row_end <= end,
        // A moment inside a longer session (not at its start).
        (Some(end), None) => s.start < row.0 && row.0 < end,
    };
    // Leave out ranges nothing happens in.
    rows.retain(|&row| slots.iter().any(|s| covers(s, row)));

    // Who holds each cell.
    let mut owner: Vec<Vec<Option<Holder>>> = vec![vec![None; columns]; rows.len()];
    for (i, s) in slots.iter().enumerate() {
        let cols = s.rooms.start.min(columns)..s.rooms.end.min(columns);
        let held: Vec<usize> = (0..rows.len()).filter(|&r| covers(s, rows[r])).collect();
        let free = held
            .iter()
            .all(|&r| cols.clone().all(|c| owner[r][c].is_none()));
        if !free || cols.is_empty() {
            continue;
        }
        for &r in &held {
            for c in cols.clone() {
                owner[r][c] = Some(Holder::Session(i));
            }
        }
    }
    // An all-day room has what the sessions left: the plenaries, transfers
    // and breaks over every room keep their cells.
    for &c in all_day.iter().filter(|&&c| c < columns) {
        for row in owner.iter_mut() {
            if row[c].is_none() {
                row[c] = Some(Holder::AllDay);
            }
        }
    }

    (rows, owner)
}

/// The rows `rows` and columns `columns` of a grid, as a grid of their own:
/// a session that reaches outside the window is cut at its edge.
fn window(
    times: &[(Time, Option<Time>)],
    owner: &[Vec<Option<Holder>>],
    rows: Range<usize>,
    columns: Range<usize>,
) -> Vec<Row> {
    let (r0, c0) = (rows.start, columns.start);
    rows.clone()
        .map(|r| {
            let (start, end) = times[r];
            let mut cells = Vec::new();
            for c in columns.clone() {
                match owner[r][c] {
                    None => cells.push(Cell::Empty { column: c }),
                    Some(Holder::AllDay) => {
                        if r == r0 || owner[r - 1][c] != Some(Holder::AllDay) {
                            let rowspan = (r..rows.end)
                                .take_while(|&k| owner[k][c] == Some(Holder::AllDay))
                                .count();
                            cells.push(Cell::AllDay { column: c, rowspan });
                        }
                    }
                    Some(Holder::Session(session)) => {
                        let i = Some(Holder::Session(session));
                        let first_row = r == r0 || owner[r - 1][c] != i;
                        let first_col = c == c0 || owner[r][c - 1] != i;
                        if first_row && first_col {
                            let rowspan = (r..rows.end).take_while(|&k| owner[k][c] == i).count();
                            let colspan =
                                (c..columns.end).take_while(|&k| owner[r][k] == i).count();
                            cells.push(Cell::Session {
                                session,
                                rowspan,
                                colspan,
                                column: c,
                            });
                        }
                    }
                }
            }
            Row { start, end, cells }
        })
        .collect()
}

/// One page of a grid printed in parts: some rooms, some rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Part {
    /// The rooms (column indexes) of this part.
    pub columns: Range<usize>,
    pub rows: Vec<Row>,
}

/// The grid cut into parts of at most `max_rows` rows and `max_columns`
/// rooms (balanced: 12 rooms with at most 10 a page give two parts of 6).
/// Every part has all the times of its rows, so each can be read alone; a
/// session crossing a cut is shown in both parts. A grid within the limits
/// is one part, the same as [`derive`].
pub(crate) fn parts(
    slots: &[Slot],
    columns: usize,
    all_day: &[usize],
    max_rows: usize,
    max_columns: usize,
) -> Vec<Part> {
    let (times, owner) = layout(slots, columns, all_day);
    let mut out = Vec::new();
    for rows in split(times.len(), max_rows.max(1)) {
        for cols in split(columns, max_columns.max(1)) {
            out.push(Part {
                rows: window(&times, &owner, rows.clone(), cols.clone()),
                columns: cols,
            });
        }
    }
    out
}

/// `0..n` in as few even ranges of at most `max` as possible.
// One range in a Vec is the answer for a short day, not a typo for `0..n`.
#[allow(clippy::single_range_in_vec_init)]
fn split(n: usize, max: usize) -> Vec<Range<usize>> {
    if n == 0 {
        return vec![0..0];
    }
    let count = n.div_ceil(max);
    (0..count)
        .map(|k| (k * n / count)..((k + 1) * n / count))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Time {
        let (h, m) = s.split_once('.').unwrap();
        Time::new(h.parse().unwrap(), m.parse().unwrap()).unwrap()
    }

    fn slot(start: &str, end: Option<&str>, rooms: Range<usize>) -> Slot {
        Slot {
            start: t(start),
            end: end.map(t),
            rooms,
        }
    }

    fn session(session: usize, rowspan: usize, colspan: usize, column: usize) -> Cell {
        Cell::Session {
            session,
            rowspan,
            colspan,
            column,
        }
    }

    fn labels(rows: &[Row]) -> Vec<String> {
        rows.iter()
            .map(|r| crate::document::times::dutch_range(r.start, r.end))
            .collect()
    }

    #[test]
    fn plenary_spans_all_rooms_and_parallel_sessions_share_a_row() {
        let slots = [
            slot("9.30", None, 0..3),
            slot("10.00", Some("10.30"), 0..3),
            slot("10.30", Some("11.30"), 0..1),
            slot("10.30", Some("11.30"), 1..2),
            slot("10.30", Some("11.30"), 2..3),
        ];
        let rows = derive(&slots, 3);
        assert_eq!(
            labels(&rows),
            ["9.30 uur", "10.00–10.30 uur", "10.30–11.30 uur"]
        );
        assert_eq!(rows[0].cells, [session(0, 1, 3, 0)]);
        assert_eq!(rows[1].cells, [session(1, 1, 3, 0)]);
        assert_eq!(
            rows[2].cells,
            [
                session(2, 1, 1, 0),
                session(3, 1, 1, 1),
                session(4, 1, 1, 2)
            ]
        );
    }

    #[test]
    fn early_end_leaves_an_empty_cell_and_longer_sessions_span_rows() {
        // 15.00-15.45 in room 0, 15.00-16.00 in rooms 1 and 2.
        let slots = [
            slot("15.00", Some("15.45"), 0..1),
            slot("15.00", Some("16.00"), 1..2),
            slot("15.00", Some("16.00"), 2..3),
            slot("16.00", None, 0..3),
        ];
        let rows = derive(&slots, 3);
        assert_eq!(
            labels(&rows),
            ["15.00–15.45 uur", "15.45–16.00 uur", "16.00 uur"]
        );
        assert_eq!(
            rows[0].cells,
            [
                session(0, 1, 1, 0),
                session(1, 2, 1, 1),
                session(2, 2, 1, 2)
            ]
        );
        assert_eq!(rows[1].cells, [Cell::Empty { column: 0 }]);
        assert_eq!(rows[2].cells, [session(3, 1, 3, 0)]);
    }

    #[test]
    fn free_rooms_are_empty_cells_and_empty_ranges_are_dropped() {
        // A gap 11.35-11.40 in which nothing happens; room 2 free at 11.40.
        let slots = [
            slot("11.30", Some("11.35"), 0..3),
            slot("11.40", Some("12.40"), 0..1),
            slot("11.40", Some("12.40"), 1..2),
        ];
        let rows = derive(&slots, 3);
        assert_eq!(labels(&rows), ["11.30–11.35 uur", "11.40–12.40 uur"]);
        assert_eq!(
            rows[1].cells,
            [
                session(1, 1, 1, 0),
                session(2, 1, 1, 1),
                Cell::Empty { column: 2 }
            ]
        );
    }

    #[test]
    fn room_used_all_day_spans_every_row() {
        let slots = [
            slot("9.00", Some("17.00"), 2..3),
            slot("9.00", Some("10.00"), 0..2),
            slot("10.00", Some("12.00"), 0..1),
            slot("10.00", Some("11.00"), 1..2),
            slot("13.00", Some("17.00"), 0..1),
        ];
        let rows = derive(&slots, 3);
        assert_eq!(
            labels(&rows),
            [
                "9.00–10.00 uur",
                "10.00–11.00 uur",
                "11.00–12.00 uur",
                "12.00–13.00 uur",
                "13.00–17.00 uur"
            ]
        );
        // Multi-room session: colspan 2.
        assert_eq!(rows[0].cells, [session(1, 1, 2, 0), session(0, 5, 1, 2)]);
        assert_eq!(rows[1].cells, [session(2, 2, 1, 0), session(3, 1, 1, 1)]);
        assert_eq!(rows[2].cells, [Cell::Empty { column: 1 }]);
        assert_eq!(
            rows[3].cells,
            [Cell::Empty { column: 0 }, Cell::Empty { column: 1 }]
        );
        assert_eq!(
            rows[4].cells,
            [session(4, 1, 1, 0), Cell::Empty { column: 1 }]
        );
    }

    #[test]
    fn moment_inside_a_longer_session_is_spanned() {
        let slots = [
            slot("15.30", Some("16.30"), 1..2),
            slot("16.00", None, 0..1),
            slot("16.00", Some("16.30"), 0..1),
        ];
        let rows = derive(&slots, 2);
        assert_eq!(
            labels(&rows),
            ["15.30–16.00 uur", "16.00 uur", "16.00–16.30 uur"]
        );
        assert_eq!(
            rows[0].cells,
            [Cell::Empty { column: 0 }, session(0, 3, 1, 1)]
        );
        assert_eq!(rows[1].cells, [session(1, 1, 1, 0)]);
        assert_eq!(rows[2].cells, [session(2, 1, 1, 0)]);
    }

    #[test]
    fn overlap_keeps_the_first_session() {
        let slots = [
            slot("10.00", Some("11.00"), 0..1),
            slot("10.30", Some("11.30"), 0..1),
        ];
        let rows = derive(&slots, 1);
        assert_eq!(rows[0].cells, [session(0, 2, 1, 0)]);
        assert_eq!(rows[2].cells, [Cell::Empty { column: 0 }]);
    }

    #[test]
    fn an_all_day_room_fills_the_rows_between_the_plenaries() {
        // Rooms 0 and 1 hold sessions, room 2 is open all day; a plenary
        // and a transfer span every room, a borrel ends the day.
        let slots = [
            slot("10.00", Some("10.30"), 0..3),
            slot("10.30", Some("11.30"), 0..1),
            slot("10.30", Some("11.00"), 1..2),
            slot("11.30", Some("11.35"), 0..3),
            slot("11.35", Some("12.30"), 0..1),
            slot("16.00", None, 0..3),
        ];
        let rows = derive_with(&slots, 3, &[2]);
        assert_eq!(
            labels(&rows),
            [
                "10.00–10.30 uur",
                "10.30–11.00 uur",
                "11.00–11.30 uur",
                "11.30–11.35 uur",
                "11.35–12.30 uur",
                "16.00 uur"
            ]
        );
        // The plenary keeps every room, the all-day room included.
        assert_eq!(rows[0].cells, [session(0, 1, 3, 0)]);
        // Between it and the transfer: one all-day cell over two rows.
        assert_eq!(
            rows[1].cells,
            [
                session(1, 2, 1, 0),
                session(2, 1, 1, 1),
                Cell::AllDay {
                    column: 2,
                    rowspan: 2
                }
            ]
        );
        assert_eq!(rows[2].cells, [Cell::Empty { column: 1 }]);
        assert_eq!(rows[3].cells, [session(3, 1, 3, 0)]);
        assert_eq!(
            rows[4].cells,
            [
                session(4, 1, 1, 0),
                Cell::Empty { column: 1 },
                Cell::AllDay {
                    column: 2,
                    rowspan: 1
                }
            ]
        );
        assert_eq!(rows[5].cells, [session(5, 1, 3, 0)]);
        // Without the all-day room the same cells are empty.
        assert_eq!(derive(&slots, 3)[1].cells[2], Cell::Empty { column: 2 });
    }

    #[test]
    fn empty_programme_has_no_rows() {
        assert!(derive(&[], 3).is_empty());
    }

    #[test]
    fn large_grids_are_cut_into_parts_with_every_time() {
        // 12 rooms, 3 rows; a plenary over all rooms in the first row.
        let mut slots = vec![slot("9.00", Some("9.30"), 0..12)];
        for r in 0..12 {
            slots.push(slot("9.30", Some("10.30"), r..r + 1));
        }
        slots.push(slot("10.30", Some("11.30"), 5..7));
        let parts = parts(&slots, 12, &[], 24, 10);
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].columns, 0..6);
        assert_eq!(parts[1].columns, 6..12);
        for part in &parts {
            assert_eq!(labels(&part.rows).len(), 3);
        }
        // The plenary is in both parts, cut at the edge.
        assert_eq!(parts[0].rows[0].cells, [session(0, 1, 6, 0)]);
        assert_eq!(parts[1].rows[0].cells, [session(0, 1, 6, 6)]);
        // The session over rooms 5 and 6 too.
        assert_eq!(parts[0].rows[2].cells[5], session(13, 1, 1, 5));
        assert_eq!(parts[1].rows[2].cells[0], session(13, 1, 1, 6));
        // Within the limits: one part, the grid itself.
        let one = super::parts(&slots, 12, &[], 24, 12);
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].rows, derive(&slots, 12));
        // Rows are cut too, with sessions spanning the cut in both.
        let long = [
            slot("9.00", Some("12.00"), 0..1),
            slot("9.00", Some("10.00"), 1..2),
            slot("10.00", Some("11.00"), 1..2),
            slot("11.00", Some("12.00"), 1..2),
        ];
        let cut = super::parts(&long, 2, &[], 2, 10);
        assert_eq!(cut.len(), 2);
        assert_eq!(cut[0].rows[0].cells[0], session(0, 1, 1, 0));
        assert_eq!(cut[1].rows[0].cells[0], session(0, 2, 1, 0));
        #[allow(clippy::single_range_in_vec_init)]
        let whole = [0..24];
        assert_eq!(split(24, 24), whole);
        assert_eq!(split(25, 24), [0..12, 12..25]);
    }
}
