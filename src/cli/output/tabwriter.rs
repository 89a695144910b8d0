//! Column alignment with the semantics of Go's `text/tabwriter` (left-aligned,
//! space padding, no flags), which Docker's tables go through.
//!
//! Text is cut into lines at `\n` and into cells at `\t`; a cell is part of a
//! column only if a tab terminates it, so the last cell of a line never pads.
//! A column's width is computed per *block*: the run of consecutive lines
//! that have a terminated cell in that column. A line with fewer cells ends
//! the block, so a one-cell line splits the table into independent parts.

struct Cell<'a> {
    text: &'a str,
    width: usize,
}

/// Aligns `text`. `minwidth` counts the padding; `padding` is added to the
/// widest cell of each column. Widths count characters, as Go counts runes.
pub(super) fn align(text: &str, minwidth: usize, padding: usize) -> String {
    let segments: Vec<&str> = text.split('\n').collect();
    let last = segments.len() - 1;
    let lines: Vec<Vec<Cell<'_>>> = segments
        .iter()
        .enumerate()
        .map(|(i, seg)| {
            let mut cells: Vec<Cell<'_>> = seg
                .split('\t')
                .map(|t| Cell {
                    text: t,
                    width: t.chars().count(),
                })
                .collect();
            // An unterminated, empty final cell is not a cell (nothing was
            // written after the last tab or newline).
            if i == last && cells.last().is_some_and(|c| c.text.is_empty()) {
                cells.pop();
            }
            cells
        })
        .collect();
    let aligner = Aligner {
        lines: &lines,
        minwidth,
        padding,
    };
    let mut out = String::with_capacity(text.len() * 2);
    let mut widths = Vec::new();
    aligner.format(&mut out, 0, lines.len(), &mut widths);
    out
}

struct Aligner<'l, 'a> {
    lines: &'l [Vec<Cell<'a>>],
    minwidth: usize,
    padding: usize,
}

impl Aligner<'_, '_> {
    /// Writes lines `line0..line1`, whose columns before `widths.len()` are
    /// already sized, sizing the next column block by block.
    fn format(&self, out: &mut String, mut line0: usize, line1: usize, widths: &mut Vec<usize>) {
        let column = widths.len();
        let has_column = |line: usize| column + 1 < self.lines[line].len();
        let mut this = line0;
        while this < line1 {
            if !has_column(this) {
                this += 1;
                continue;
            }
            // A block of this column starts here: lines before it are done.
            self.write_lines(out, line0, this, widths);
            line0 = this;
            let mut width = self.minwidth;
            while this < line1 && has_column(this) {
                width = width.max(self.lines[this][column].width + self.padding);
                this += 1;
            }
            widths.push(width);
            self.format(out, line0, this, widths);
            widths.pop();
            line0 = this;
        }
        self.write_lines(out, line0, line1, widths);
    }

    fn write_lines(&self, out: &mut String, line0: usize, line1: usize, widths: &[usize]) {
        for i in line0..line1 {
            for (j, cell) in self.lines[i].iter().enumerate() {
                out.push_str(cell.text);
                if let Some(w) = widths.get(j) {
                    out.extend(std::iter::repeat_n(' ', w.saturating_sub(cell.width)));
                }
            }
            // The final line is whatever followed the last newline.
            if i + 1 < self.lines.len() {
                out.push('\n');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::align;

    #[test]
    fn aligns_like_go_tabwriter() {
        // (input, minwidth, padding, expected)
        let cases: &[(&str, usize, usize, &str)] = &[
            ("", 0, 1, ""),
            ("a\n", 0, 1, "a\n"),
            ("a\tb\n", 0, 1, "a b\n"),
            ("a\tb\nccc\td\n", 0, 1, "a   b\nccc d\n"),
            // Minimum width includes the padding.
            ("a\tb\n", 10, 3, "a         b\n"),
            ("abcdefghij\tb\n", 10, 3, "abcdefghij   b\n"),
            // The last cell of a line is never padded, even if long.
            (
                "a\tlong-last-cell\nbb\tc\n",
                0,
                2,
                "a   long-last-cell\nbb  c\n",
            ),
            // A trailing tab terminates an empty cell, which still pads.
            ("a\t\nbbb\t\n", 0, 1, "a   \nbbb \n"),
            // A one-cell line ends every column block.
            (
                "a\tb\tc\naaaa\tbb\nx\ny\tz\n",
                0,
                1,
                "a    b c\naaaa bb\nx\ny z\n",
            ),
            // Nested blocks: column 1 only spans the lines that have it.
            (
                "a\tb\tc\nd\te\nfff\tggg\th\n",
                0,
                1,
                "a   b c\nd   e\nfff ggg h\n",
            ),
            // Widths count characters, not bytes.
            ("héllo\tx\nab\ty\n", 0, 1, "héllo x\nab    y\n"),
            // No final newline: the last line is written without one.
            ("a\tb\ncc\td", 0, 1, "a  b\ncc d"),
            // Empty lines pass through and split blocks.
            ("a\tb\n\nccc\td\n", 0, 1, "a b\n\nccc d\n"),
        ];
        for (input, minwidth, padding, want) in cases {
            assert_eq!(align(input, *minwidth, *padding), *want, "align({input:?})");
        }
    }
}
