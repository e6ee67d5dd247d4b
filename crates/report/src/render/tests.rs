use super::*;

#[test]
fn markdown_escaping_neutralises_markup() {
    assert_eq!(md("a `b` *c*"), "a \\`b\\` \\*c\\*");
    assert_eq!(md("[x](javascript:1)"), "[x]\\(javascript:1)");
    assert_eq!(md("<script>"), "\\<script>");
    assert_eq!(md("dns_filtered _x_"), "dns_filtered \\_x\\_");
    assert_eq!(md_cell("a|b"), "a\\|b");
    assert_eq!(md_code("a`b"), "``a`b``");
    assert_eq!(md_code("`a"), "`` `a ``");
    assert_eq!(md(r"C:\Users\x"), r"C:\Users\x");
}

#[test]
fn wrapping_keeps_to_the_width() {
    let long = "word ".repeat(40);
    let w = wrap(&long, "- ", "  ");
    assert!(w.lines().all(|l| l.chars().count() <= WIDTH), "{w}");
    assert!(w.starts_with("- word"));
    assert!(w.lines().skip(1).all(|l| l.starts_with("  word")));
}
