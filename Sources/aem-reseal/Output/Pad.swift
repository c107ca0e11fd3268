/// `text` left-aligned in a column of `width` characters, with at least
/// one space after it: the columns of the tool's tables.
func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
}
