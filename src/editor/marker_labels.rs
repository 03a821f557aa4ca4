//! Where the spectrum's partial numbers go: above their markers, in as many rows as it takes so
//! that no two overlap, and not at all when there is no room (the dashed marker line stays).
//! Chords give fifteen markers or more, partials can share a frequency, and two partials
//! 40 Hz apart sit a few pixels apart on a log axis: the labels must never run together.

/// Rows of labels above the plot.
pub const LABEL_ROWS: usize = 2;

/// Space kept between two labels in one row, in points.
const GAP_PT: f32 = 3.0;

/// A label to place: its marker's x (points), its width (points) and its text.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Label {
    pub x: f32,
    pub width: f32,
    /// The partial's number, 1 ..= 5.
    pub number: usize,
}

/// For each of `labels` (in any order), the row it goes in (0 = nearest the plot), or `None`
/// when it is left out: it would overlap in every row, or the same number already stands at
/// the same place (two voices on one frequency), or it would stick out of `left ..= right`.
pub fn place(labels: &[Label], left: f32, right: f32) -> Vec<Option<usize>> {
    let mut order: Vec<usize> = (0..labels.len()).collect();
    order.sort_by(|&a, &b| labels[a].x.total_cmp(&labels[b].x));
    let mut row_ends = [f32::NEG_INFINITY; LABEL_ROWS];
    let mut placed: Vec<Option<usize>> = vec![None; labels.len()];
    let mut previous: Option<Label> = None;
    for index in order {
        let label = labels[index];
        let (start, end) = (label.x - label.width / 2.0, label.x + label.width / 2.0);
        let duplicate = previous
            .is_some_and(|p| p.number == label.number && (p.x - label.x).abs() < label.width);
        if duplicate || start < left || end > right {
            continue;
        }
        if let Some(row) = row_ends
            .iter()
            .position(|&row_end| row_end + GAP_PT <= start)
        {
            row_ends[row] = end;
            placed[index] = Some(row);
            previous = Some(label);
        }
    }
    placed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(x: f32, number: usize) -> Label {
        Label {
            x,
            width: 7.0,
            number,
        }
    }

    /// The horizontal extents of the labels placed in each row overlap nowhere.
    fn assert_no_overlap(labels: &[Label], rows: &[Option<usize>]) {
        for a in 0..labels.len() {
            for b in a + 1..labels.len() {
                if let (Some(ra), Some(rb)) = (rows[a], rows[b])
                    && ra == rb
                {
                    let apart = (labels[a].x - labels[b].x).abs();
                    assert!(apart >= labels[a].width + GAP_PT, "{a} and {b} overlap");
                }
            }
        }
    }

    #[test]
    fn labels_apart_all_go_in_the_first_row() {
        let labels: Vec<Label> = (0..5)
            .map(|k| label(100.0 + 20.0 * k as f32, k + 1))
            .collect();
        assert_eq!(place(&labels, 0.0, 500.0), vec![Some(0); 5]);
    }

    #[test]
    fn close_labels_take_the_next_row_and_never_overlap() {
        // 400 and 440 Hz on the editor's axis are about 6 points apart.
        let labels = [label(200.0, 4), label(206.0, 5), label(211.0, 1)];
        let rows = place(&labels, 0.0, 500.0);
        assert_eq!(rows, [Some(0), Some(1), Some(0)]);
        assert_no_overlap(&labels, &rows);
    }

    #[test]
    fn a_crowd_leaves_out_what_has_no_room_and_never_overlaps() {
        let labels: Vec<Label> = (0..15)
            .map(|k| label(100.0 + 3.0 * k as f32, k % 5 + 1))
            .collect();
        let rows = place(&labels, 0.0, 500.0);
        assert!(rows.iter().filter(|r| r.is_some()).count() >= 4);
        assert!(rows.iter().any(Option::is_none));
        assert_no_overlap(&labels, &rows);
    }

    #[test]
    fn one_number_twice_at_one_place_is_labelled_once() {
        let labels = [label(150.0, 1), label(150.5, 1), label(150.0, 2)];
        let rows = place(&labels, 0.0, 500.0);
        assert_eq!(rows.iter().filter(|r| r.is_some()).count(), 2);
    }

    #[test]
    fn labels_stay_inside_the_plot() {
        let labels = [label(2.0, 1), label(498.0, 2), label(250.0, 3)];
        assert_eq!(place(&labels, 0.0, 500.0), [None, None, Some(0)]);
    }
}
