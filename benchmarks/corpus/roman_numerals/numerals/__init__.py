"""Roman numerals for chapter headings and clock faces."""
